package testenv

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Prometheus is a running Prometheus server on loopback.
type Prometheus struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:40123.
	URL  string
	cmd  *exec.Cmd
	done chan struct{}
}

// StartPrometheus runs the Prometheus server built by `make prometheus`
// ($PROMETHEUS_BINARY, or bin/prometheus) with an empty configuration in dir.
// Queries such as vector(66.5) need no scraped data.
func StartPrometheus(dir string) (*Prometheus, error) {
	bin := os.Getenv("PROMETHEUS_BINARY")
	if bin == "" {
		bin = filepath.Join(RepoRoot(), "bin", "prometheus")
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("prometheus binary %s not found: run `make prometheus`", bin)
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte("global:\n  scrape_interval: 15s\n"), 0o600); err != nil {
		return nil, err
	}
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr)
	logs, err := os.Create(filepath.Join(dir, "prometheus.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting prometheus: %w", err)
	}
	p := &Prometheus{URL: "http://" + addr, cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		_ = logs.Close()
		close(p.done)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get(p.URL + "/-/ready"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		select {
		case <-ctx.Done():
			p.Stop()
			return nil, fmt.Errorf("prometheus did not become ready (see %s)", logs.Name())
		case <-p.done:
			return nil, fmt.Errorf("prometheus exited (see %s)", logs.Name())
		case <-tick.C:
		}
	}
}

// Stop ends the server and waits for it.
func (p *Prometheus) Stop() {
	_ = p.cmd.Process.Kill()
	<-p.done
}
