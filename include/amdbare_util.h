/* amdbare_util.h - placeholder owned by the helper building it; replaced in this session. */
#ifndef AMDBARE_UTIL_H
#define AMDBARE_UTIL_H
#endif
