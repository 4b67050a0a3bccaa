// Filled in by the benchmark work.
print("regctl-bench")
