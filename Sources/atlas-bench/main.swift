print("atlas-bench")
