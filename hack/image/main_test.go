package main

import (
	"archive/tar"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// What `make image` writes: a tarball whose image runs the static manager
// as 65532:65532, labelled, with the CA roots compiled in.
func TestImage(t *testing.T) {
	g := NewWithT(t)
	out := filepath.Join(t.TempDir(), "momentum-manager.tar")
	g.Expect(Build(Options{Root: "../..", Out: out, Tag: "registry.example.com/momentum:v0.1.0", Version: "v0.1.0", Revision: "abc123", Arch: runtime.GOARCH})).To(Succeed())

	tag, err := name.NewTag("registry.example.com/momentum:v0.1.0")
	g.Expect(err).NotTo(HaveOccurred())
	img, err := tarball.ImageFromPath(out, &tag)
	g.Expect(err).NotTo(HaveOccurred())
	cfg, err := img.ConfigFile()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(cfg.OS).To(Equal("linux"))
	g.Expect(cfg.Architecture).To(Equal(runtime.GOARCH))
	g.Expect(cfg.Config.User).To(Equal("65532:65532"))
	g.Expect(cfg.Config.Entrypoint).To(Equal([]string{"/manager"}))
	g.Expect(cfg.Config.Labels).To(HaveKeyWithValue("org.opencontainers.image.source", "https://github.com/momentum-dev/momentum"))
	g.Expect(cfg.Config.Labels).To(HaveKeyWithValue("org.opencontainers.image.version", "v0.1.0"))
	g.Expect(cfg.Config.Labels).To(HaveKeyWithValue("org.opencontainers.image.revision", "abc123"))

	// The only file is the manager; it is static and runs.
	layers, err := img.Layers()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(layers).To(HaveLen(1))
	bin := filepath.Join(t.TempDir(), "manager")
	g.Expect(extractOnly(layers[0].Uncompressed, "manager", bin)).To(Succeed())
	f, err := elf.Open(bin)
	g.Expect(err).NotTo(HaveOccurred())
	for _, p := range f.Progs {
		g.Expect(p.Type).NotTo(Equal(elf.PT_INTERP), "the manager must be static: the image has no dynamic loader")
	}
	g.Expect(f.Close()).To(Succeed())
	info, err := buildinfo.ReadFile(bin)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(info.Settings).To(ContainElement(debug.BuildSetting{Key: "CGO_ENABLED", Value: "0"}))
	var deps []string
	for _, d := range info.Deps {
		deps = append(deps, d.Path)
	}
	g.Expect(deps).To(ContainElement("golang.org/x/crypto/x509roots/fallback"), "CA roots compiled in: https works on an empty base")

	help, err := exec.Command(bin, "--help").CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), "%s", help)
	g.Expect(string(help)).To(ContainSubstring("-allow-cidr"))
}

// extractOnly writes the layer's single file, which must be called want, to dst.
func extractOnly(open func() (io.ReadCloser, error), want, dst string) error {
	rc, err := open()
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	tr := tar.NewReader(rc)
	hdr, err := tr.Next()
	if err != nil {
		return err
	}
	if hdr.Name != want || hdr.Mode != 0o755 || hdr.Uid != 0 {
		return errors.New("unexpected first entry " + hdr.Name)
	}
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, tr); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := tr.Next(); !errors.Is(err, io.EOF) {
		return errors.New("the layer holds more than the manager")
	}
	return nil
}
