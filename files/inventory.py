"""Every name a storage holds, walked through the storage API (a local folder and S3 alike)."""

import posixpath


def stored_names(storage, directory=""):
    """Yield every stored name under ``directory`` ("" for all), folders depth first."""
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:  # FileSystemStorage before its first upload
        return
    for name in files:
        yield posixpath.join(directory, name) if directory else name
    for folder in folders:
        yield from stored_names(storage, posixpath.join(directory, folder) if directory else folder)


def holds_any(storage):
    """Whether the storage holds at least one file (stops at the first)."""
    return next(stored_names(storage), None) is not None
