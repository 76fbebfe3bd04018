"""Number and date formats Django does not ship (Swahili) or writes otherwise than the
language's readers do (Spanish). Django looks here first (``FORMAT_MODULE_PATH``) and takes
every format a module here leaves out from its own module for that language."""
