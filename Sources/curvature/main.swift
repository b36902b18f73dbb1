import CurvatureCLI

CurvatureCommand.main()
