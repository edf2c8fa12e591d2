from factcheck.cli import cli

cli()
