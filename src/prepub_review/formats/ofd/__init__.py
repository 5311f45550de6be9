"""OFD (GB/T 33190, 版式文件): reader.py reads the text, annotations and pictures of every page;
writer.py overwrites values in the text codes that draw them."""
