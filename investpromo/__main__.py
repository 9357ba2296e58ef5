from investpromo.cli import main

main()
