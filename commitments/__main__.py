from commitments.cli import main

main()
