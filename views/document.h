#pragma once

#include "profiledata.h"

#include <QString>
#include <memory>

namespace hs {

// One opened input: what the user opened and what it holds, shared read-only between the
// window, the views and their workers.
struct Document
{
    QString path;  // as the user named it
    QString title; // the file name
    std::shared_ptr<const ProfileData> data;
};

} // namespace hs
