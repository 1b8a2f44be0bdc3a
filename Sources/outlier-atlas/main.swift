print("outlier-atlas")
