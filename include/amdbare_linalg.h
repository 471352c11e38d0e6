/* amdbare_linalg.h - placeholder owned by the helper building it; replaced in this session. */
#ifndef AMDBARE_LINALG_H
#define AMDBARE_LINALG_H
#endif
