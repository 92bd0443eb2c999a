"""Uploaded files on an S3-compatible object store, for several app servers (MEDIA_STORAGE=s3).

NCP Object Storage, KT Cloud and NHN Cloud speak the S3 API, so django-storages'
S3Storage does the talking. On top of it:

- Objects are private and ``url()`` never names the bucket or signs a link: every
  file still leaves through a view that checks permission first (files/serving.py),
  exactly as with local files.
- A file read front to back (a download) streams from one GET in blocks. S3File
  would first copy the whole object into memory or a temporary file; anything
  that seeks about (Pillow, zip, pypdf) still gets that copy.
"""

import io
import mimetypes
from urllib.parse import urljoin

from botocore.config import Config
from botocore.exceptions import ClientError
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3File, S3Storage, _filter_download_params
from storages.utils import clean_name


def client_config(addressing_style=None):
    """botocore settings for S3-compatible providers.

    Since botocore 1.36 every upload carries a CRC32 checksum (aws-chunked) by default,
    which several non-AWS object stores refuse; checksums only where the API requires them.
    """
    return Config(
        s3={"addressing_style": addressing_style} if addressing_style else {},
        signature_version="s3v4",
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
    )


class PrivateS3Storage(S3Storage):
    # Class attributes win over django-storages' AWS_* settings; OPTIONS may still say otherwise.
    default_acl = "private"
    querystring_auth = True
    custom_domain = None
    # Never replace a stored object silently (FileSystemStorage's behaviour): a second
    # save under a taken name gets a suffix, which get_rendition relies on.
    file_overwrite = False

    def __init__(self, **options):
        options.setdefault("client_config", client_config(options.get("addressing_style")))
        super().__init__(**options)

    def _open(self, name, mode="rb"):
        if mode != "rb":
            return super()._open(name, mode)
        key = self._normalize_name(clean_name(name))
        try:
            return StreamingS3File(key, mode, self)
        except ClientError as err:
            if err.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"File does not exist: {key}")
            raise

    def get_object_parameters(self, name):
        """Stored type from our generated name, never the uploader's claim; a stray link downloads."""
        return {
            "ContentType": mimetypes.guess_type(name)[0] or "application/octet-stream",
            "ContentDisposition": "attachment",
            **super().get_object_parameters(name),
        }

    def url(self, name, *args, **kwargs):
        # Like FileSystemStorage under MEDIA_URL: a path no route serves, never a bucket address.
        return urljoin(settings.MEDIA_URL, filepath_to_uri(clean_name(name)))


class StreamingS3File(S3File):
    """Read-only S3File that streams sequential reads from one GET.

    FileResponse's size probe (tell, seek to the end, seek back) costs nothing. Reading
    from the start opens the stream; a read after any real seek, or anything not read
    through ``read()``, falls back to S3File's whole copy at the same position.
    """

    def __init__(self, name, mode, storage, buffer_size=None):
        self._stream = None
        self._position = 0
        super().__init__(name, mode, storage, buffer_size)

    @property
    def _copied(self):
        return self._file is not None

    def _get_file(self):
        if self._file is None:
            self._close_stream()
            copy = super()._get_file()
            copy.seek(self._position)
            return copy
        return self._file

    file = property(_get_file, S3File._set_file)

    def read(self, size=-1):
        if self._copied:
            return self.file.read(size)
        if self._stream is None and self._position:
            return b"" if self._position >= self.size else self.file.read(size)
        if self._stream is None:
            params = _filter_download_params(self._storage.get_object_parameters(self.name))
            self._stream = self.obj.get(**params)["Body"]
        data = self._stream.read(None if size is None or size < 0 else size)
        self._position += len(data)
        return data

    def tell(self):
        return self.file.tell() if self._copied else self._position

    def seek(self, offset, whence=io.SEEK_SET):
        if self._copied:
            return self.file.seek(offset, whence)
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        target = base + offset
        if target < 0:
            raise ValueError(f"negative seek position {target}")
        if target != self._position and self._stream is not None:
            self._position = target
            return self.file.seek(target)  # a real seek mid-stream: take the whole copy
        self._position = target
        return target

    def seekable(self):
        return True

    def readable(self):
        return True

    def open(self, mode=None):
        if mode and mode != self._mode:
            raise ValueError("Cannot reopen file with a new mode.")
        if self._copied:
            self.file.seek(0)
        else:
            self._close_stream()
        self._position = 0
        self._closed = False
        return self

    def close(self):
        self._close_stream()
        super().close()

    def _close_stream(self):
        if self._stream is not None:
            self._stream.close()
            self._stream = None
