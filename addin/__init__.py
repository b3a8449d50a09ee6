"""Entry points: the `cmw` command line, the Excel add-in's dispatcher, and the composition root."""
