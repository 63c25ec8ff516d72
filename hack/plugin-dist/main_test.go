package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/momentum-dev/momentum/internal/testenv"
)

func manifest(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "plugins", "momentum.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The manifest covers every platform krew users run, each with its own
// archive named after the platform and the right executable name.
func TestManifestPlatforms(t *testing.T) {
	g := NewWithT(t)
	version, plats, err := platforms(manifest(t))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(version).To(MatchRegexp(`^v\d+\.\d+\.\d+$`))
	var got []string
	for _, p := range plats {
		got = append(got, p.OS+"/"+p.Arch)
		g.Expect(path.Base(p.URI)).To(Equal("kubectl-momentum_" + p.OS + "_" + p.Arch + ".tar.gz"))
		g.Expect(p.URI).To(ContainSubstring("/" + version + "/"))
		wantBin := "kubectl-momentum"
		if p.OS == "windows" {
			wantBin += ".exe"
		}
		g.Expect(p.Bin).To(Equal(wantBin))
	}
	g.Expect(got).To(ConsistOf("linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64"))
}

func TestFillSHA256ChangesOnlyTheSums(t *testing.T) {
	g := NewWithT(t)
	in := manifest(t)
	_, plats, err := platforms(in)
	g.Expect(err).NotTo(HaveOccurred())
	sums := map[int]string{}
	for i, p := range plats {
		sums[p.shaLine] = strings.Repeat(string(rune('a'+i)), 64)
	}
	out, err := fillSHA256(in, sums)
	g.Expect(err).NotTo(HaveOccurred())
	inLines, outLines := strings.Split(string(in), "\n"), strings.Split(string(out), "\n")
	g.Expect(outLines).To(HaveLen(len(inLines)))
	for i := range inLines {
		if sum, ok := sums[i+1]; ok {
			g.Expect(outLines[i]).To(Equal(`    sha256: "` + sum + `"`))
			continue
		}
		g.Expect(outLines[i]).To(Equal(inLines[i]))
	}
	_, err = fillSHA256(in, map[int]string{1: "x"})
	g.Expect(err).To(MatchError("line 1 has no sha256 key"))
}

// The same binary always gives the same archive, holding just the executable.
func TestTarGzIsReproducible(t *testing.T) {
	g := NewWithT(t)
	a, err := tarGz("kubectl-momentum", []byte("binary"))
	g.Expect(err).NotTo(HaveOccurred())
	b, err := tarGz("kubectl-momentum", []byte("binary"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(a).To(Equal(b))
	zr, err := gzip.NewReader(bytes.NewReader(a))
	g.Expect(err).NotTo(HaveOccurred())
	tr := tar.NewReader(zr)
	hdr, err := tr.Next()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(hdr.Name).To(Equal("kubectl-momentum"))
	g.Expect(hdr.Mode).To(BeEquivalentTo(0o755))
	body, err := io.ReadAll(tr)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(body)).To(Equal("binary"))
	_, err = tr.Next()
	g.Expect(err).To(Equal(io.EOF))
}
