/*
 * The library is built with -fvisibility=hidden so that internal helpers
 * (ab_*) never leak into the shared object's ABI; public entry points are
 * marked with AB_API.
 */
#ifndef AB_API_H
#define AB_API_H

#define AB_API __attribute__((visibility("default")))

#endif
