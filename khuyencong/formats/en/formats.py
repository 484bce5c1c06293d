# The English interface keeps Vietnamese dates and numbers: the records and documents are Vietnamese.
from khuyencong.formats.vi.formats import *  # noqa: F403
