"""The semantic CSS framework: topics, declaration normalisation, class mining, naming, conversion."""
