// Empty: the declarations in include/CLibFuzzer.h are defined by libFuzzer (linked by -sanitize=fuzzer).
#include "CLibFuzzer.h"
