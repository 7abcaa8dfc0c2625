#pragma once

#include "heapcolumns.h"
#include "recordertimeline.h"

#include <string>

namespace hs {

// The recorder's samples as named columns of 64-bit values (sample.*); times as the bits of
// their doubles, so they come back exactly.
void visitTimelineColumns(const RecorderTimeline& timeline, const HeapColumnVisitor& visit);
// The samples back; `damage` names what is wrong, or stays empty.
void timelineFromColumns(const HeapColumns& columns, RecorderTimeline& timeline,
                         std::string& damage);

} // namespace hs
