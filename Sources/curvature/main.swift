print("curvature")
