// libFuzzer's driver, for targets whose `main` SwiftPM names itself (it links executables with
// `--defsym main=<module>_main`, so libFuzzer's own main cannot be the entry): each fuzz target defines
// `<module>_main` and hands its callback to the driver.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
