import Curvature
