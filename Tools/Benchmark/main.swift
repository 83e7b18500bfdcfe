// Placeholder: the benchmark is being written.
print("ledger-bench")
