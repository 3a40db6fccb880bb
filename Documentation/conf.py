# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration of shadowipc's documentation (make htmldocs).
# Sphinx's built-ins only: no extensions, the default HTML theme.

project = 'shadowipc'
copyright = 'The shadowipc developers'
author = 'The shadowipc developers'

extensions = []
exclude_patterns = []
highlight_language = 'none'
