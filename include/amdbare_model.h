/* amdbare_model.h - placeholder owned by the helper building it; replaced in this session. */
#ifndef AMDBARE_MODEL_H
#define AMDBARE_MODEL_H
#endif
