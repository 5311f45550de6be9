from prepub_review.cli import main

main()
