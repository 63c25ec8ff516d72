// Command plugin-dist builds the kubectl plugin for every platform of the
// krew manifest into reproducible archives and writes each archive's sha256
// into the manifest (`make plugin-dist`).
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// platform is one entry of the manifest's spec.platforms.
type platform struct {
	OS, Arch, URI, Bin string
	// shaLine is the manifest line of its sha256 value.
	shaLine int
}

func main() {
	manifest := flag.String("manifest", "plugins/momentum.yaml", "the krew manifest to fill in")
	dist := flag.String("dist", "dist", "where the archives go")
	pkg := flag.String("package", "./cmd/kubectl-momentum", "the plugin's main package")
	flag.Parse()
	if err := distribute(*manifest, *dist, *pkg); err != nil {
		fmt.Fprintln(os.Stderr, "plugin-dist:", err)
		os.Exit(1)
	}
}

func distribute(manifestPath, dist, pkg string) error {
	data, err := os.ReadFile(manifestPath)
	if err != nil {
		return err
	}
	version, plats, err := platforms(data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dist, 0o755); err != nil {
		return err
	}
	sums := map[int]string{}
	for _, p := range plats {
		bin, err := build(pkg, p, version)
		if err != nil {
			return err
		}
		archive, err := tarGz(p.Bin, bin)
		if err != nil {
			return err
		}
		name := filepath.Join(dist, path.Base(p.URI))
		if err := os.WriteFile(name, archive, 0o644); err != nil {
			return err
		}
		sum := sha256.Sum256(archive)
		sums[p.shaLine] = hex.EncodeToString(sum[:])
		fmt.Printf("%s  %s\n", sums[p.shaLine], name)
	}
	filled, err := fillSHA256(data, sums)
	if err != nil {
		return err
	}
	return os.WriteFile(manifestPath, filled, 0o644)
}

// platforms reads spec.version and spec.platforms of a krew manifest.
func platforms(manifest []byte) (string, []platform, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(manifest, &doc); err != nil {
		return "", nil, err
	}
	if len(doc.Content) == 0 {
		return "", nil, fmt.Errorf("empty manifest")
	}
	spec := get(doc.Content[0], "spec")
	var out []platform
	for _, p := range children(get(spec, "platforms")) {
		labels := get(get(p, "selector"), "matchLabels")
		sha := get(p, "sha256")
		if sha == nil {
			return "", nil, fmt.Errorf("platform %s/%s has no sha256 to fill in", value(get(labels, "os")), value(get(labels, "arch")))
		}
		out = append(out, platform{OS: value(get(labels, "os")), Arch: value(get(labels, "arch")), URI: value(get(p, "uri")), Bin: value(get(p, "bin")), shaLine: sha.Line})
	}
	if len(out) == 0 {
		return "", nil, fmt.Errorf("no spec.platforms")
	}
	return value(get(spec, "version")), out, nil
}

// build cross-compiles the plugin, reproducibly (no cgo, -trimpath, no
// build ID), with its version stamped in.
func build(pkg string, p platform, version string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "plugin-dist")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	out := filepath.Join(dir, p.Bin)
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -buildid= -X main.version="+version, "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS="+p.OS, "GOARCH="+p.Arch, "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("building for %s/%s: %w", p.OS, p.Arch, err)
	}
	return os.ReadFile(out)
}

// tarGz is a gzipped tar of one executable, with fixed times and owners so
// that the same binary always gives the same archive.
func tarGz(name string, bin []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	hdr := &tar.Header{Name: name, Mode: 0o755, Size: int64(len(bin)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := io.Copy(tw, bytes.NewReader(bin)); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fillSHA256 replaces the sha256 value on each given line of the manifest,
// leaving every other byte as it was.
func fillSHA256(manifest []byte, sums map[int]string) ([]byte, error) {
	lines := strings.SplitAfter(string(manifest), "\n")
	for line, sum := range sums {
		if line < 1 || line > len(lines) {
			return nil, fmt.Errorf("line %d is outside the manifest", line)
		}
		l := lines[line-1]
		key, _, ok := strings.Cut(l, "sha256:")
		if !ok {
			return nil, fmt.Errorf("line %d has no sha256 key", line)
		}
		nl := ""
		if strings.HasSuffix(l, "\n") {
			nl = "\n"
		}
		lines[line-1] = key + "sha256: \"" + sum + "\"" + nl
	}
	return []byte(strings.Join(lines, "")), nil
}

func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func children(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	return n.Content
}

func value(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}
