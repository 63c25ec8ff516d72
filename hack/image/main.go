// Command image builds the manager's container image with Go tooling alone,
// no container engine: a static manager binary (CGO_ENABLED=0) on an empty
// base, run as 65532:65532 with the manager as entrypoint. CA roots and the
// zone database are compiled into the binary (cmd/manager), so the image
// needs no other file. It writes a `docker save` tarball that `docker load`,
// `podman load`, `kind load image-archive` and `crane push` accept.
//
//	go run . --root ../.. --out ../../dist/momentum-manager.tar --tag momentum-manager:dev
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Source is where the image's code lives (org.opencontainers.image.source).
const Source = "https://github.com/momentum-dev/momentum"

// User is the image's numeric user and group: the nonroot user of
// distroless images, so runAsNonRoot passes without a passwd file.
const User = "65532:65532"

// Entrypoint is the manager binary's path in the image.
const Entrypoint = "/manager"

// Options say what to build and where to write it.
type Options struct {
	// Root is the repository's top directory (holds cmd/manager).
	Root string
	// Out is the tarball to write.
	Out string
	// Tag names the image in the tarball, e.g. registry.example.com/momentum:v0.1.0.
	Tag string
	// Version and Revision become OCI labels.
	Version, Revision string
	// Arch is the GOARCH of the binary; the OS is always linux.
	Arch string
	// Created is the image's creation time; the zero time keeps builds
	// reproducible.
	Created time.Time
}

func main() {
	var o Options
	var epoch int64
	flag.StringVar(&o.Root, "root", "../..", "The repository's top directory.")
	flag.StringVar(&o.Out, "out", "../../dist/momentum-manager.tar", "The image tarball to write.")
	flag.StringVar(&o.Tag, "tag", "momentum-manager:dev", "The image's name and tag in the tarball.")
	flag.StringVar(&o.Version, "version", "dev", "org.opencontainers.image.version.")
	flag.StringVar(&o.Revision, "revision", "", "org.opencontainers.image.revision (the Git commit).")
	flag.StringVar(&o.Arch, "arch", runtime.GOARCH, "GOARCH of the manager binary (linux only).")
	flag.Int64Var(&epoch, "created", 0, "Creation time in seconds since the epoch (SOURCE_DATE_EPOCH); 0 for reproducible builds.")
	flag.Parse()
	if epoch > 0 {
		o.Created = time.Unix(epoch, 0).UTC()
	}
	if err := Build(o); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
	fmt.Printf("Wrote image %s (linux/%s) to %s\n", o.Tag, o.Arch, o.Out)
}

// Build compiles the manager and writes its image to o.Out.
func Build(o Options) error {
	tmp, err := os.MkdirTemp("", "momentum-image-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	bin := filepath.Join(tmp, "manager")
	if err := compile(o.Root, o.Arch, bin); err != nil {
		return err
	}
	img, err := Image(bin, o)
	if err != nil {
		return err
	}
	ref, err := name.NewTag(o.Tag)
	if err != nil {
		return fmt.Errorf("tag %q: %w", o.Tag, err)
	}
	if err := os.MkdirAll(filepath.Dir(o.Out), 0o755); err != nil {
		return err
	}
	return tarball.WriteToFile(o.Out, ref, img)
}

// compile builds a static linux manager binary.
func compile(root, arch, out string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./cmd/manager")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building the manager: %w", err)
	}
	return nil
}

// Image is the manager's image: one layer holding bin at /manager on an
// empty base, with OCI media types and labels.
func Image(bin string, o Options) (v1.Image, error) {
	layer, err := binaryLayer(bin, o.Created)
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{Layer: layer, History: v1.History{
		Created: v1.Time{Time: o.Created}, CreatedBy: "hack/image: COPY manager " + Entrypoint, Comment: "static manager binary",
	}})
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", o.Arch
	cfg.Created = v1.Time{Time: o.Created}
	cfg.Config = v1.Config{
		User:       User,
		Entrypoint: []string{Entrypoint},
		WorkingDir: "/",
		Labels:     Labels(o),
	}
	return mutate.ConfigFile(img, cfg)
}

// Labels are the OCI annotations of the image config.
func Labels(o Options) map[string]string {
	l := map[string]string{
		"org.opencontainers.image.source":      Source,
		"org.opencontainers.image.url":         Source,
		"org.opencontainers.image.title":       "momentum-manager",
		"org.opencontainers.image.description": "Momentum: customer-centric culture-change programs as Kubernetes resources",
		"org.opencontainers.image.version":     o.Version,
	}
	if o.Revision != "" {
		l["org.opencontainers.image.revision"] = o.Revision
	}
	return l
}

// binaryLayer is a reproducible layer with bin as /manager,
// owned by root and executable by everyone (the image runs as 65532).
func binaryLayer(bin string, modTime time.Time) (v1.Layer, error) {
	data, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	if modTime.IsZero() {
		modTime = time.Unix(0, 0)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Name: Entrypoint[1:], Mode: 0o755, Size: int64(len(data)), ModTime: modTime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := tw.Write(data); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	layerBytes := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerBytes)), nil
	}, tarball.WithMediaType(types.OCILayer))
}
