from tinyweb.cli import main

main()
