#pragma once

#include <stdexcept>
#include <string>

namespace hs {

// The one error type the core throws: a message meant for the user, already naming what is wrong.
class Error : public std::runtime_error
{
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

} // namespace hs
