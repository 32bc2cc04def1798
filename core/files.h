// Moved to platform/files.h (files are I/O, which core/ does not do). This
// forwarder keeps files outside the sealed-format change building until they
// include platform/files.h; nothing in core/ may include it (bidopen_core does
// not link bidopen_platform).
#ifndef BIDOPEN_CORE_FILES_H_
#define BIDOPEN_CORE_FILES_H_

#include "platform/files.h"

#endif  // BIDOPEN_CORE_FILES_H_
