"""One module per function of the manual: its declared layout, builder and reader."""
