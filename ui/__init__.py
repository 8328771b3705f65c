"""Media Inspector's Qt front end: windows and widgets that drive the core in ``inspector``."""
