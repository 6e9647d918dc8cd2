#pragma once

#include <cstdio>
#include <cstdlib>

// An invariant of a fuzz harness: when it does not hold, say which and abort, so that libFuzzer
// records the input as a crash and the corpus replay fails.
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
