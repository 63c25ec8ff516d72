package lint

import (
	"io/fs"

	"github.com/momentum-dev/momentum/config/crd"
)

func fsSub() (fs.FS, error) { return fs.Sub(crd.Bases, "bases") }
