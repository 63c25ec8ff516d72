//go:build chaos

package chaos

import (
	"context"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/types"
)

// apiProxy forwards TCP from a loopback port to the API server. Cutting it
// closes the port and every connection: to the manager behind it, the API
// server is gone (connection refused) until it is restored on the same port.
type apiProxy struct {
	addr, upstream string
	mu             sync.Mutex
	ln             net.Listener
	conns          []net.Conn
}

func newProxy(t *testing.T, upstream string) *apiProxy {
	p := &apiProxy{addr: "127.0.0.1:0", upstream: upstream}
	p.restore(t)
	p.addr = p.ln.Addr().String()
	t.Cleanup(p.cut)
	return p
}

func (p *apiProxy) restore(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
}

func (p *apiProxy) pipe(c net.Conn) {
	u, err := net.Dial("tcp", p.upstream)
	if err != nil {
		_ = c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, u)
	p.mu.Unlock()
	go func() { _, _ = io.Copy(u, c); _ = u.Close() }()
	_, _ = io.Copy(c, u)
	_ = c.Close()
}

// cut closes the port and drops every connection.
func (p *apiProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
	}
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

// proxied writes a kubeconfig like h's that reaches the API server through p.
func (h *harness) proxied(t *testing.T) (string, *apiProxy) {
	data, err := os.ReadFile(h.kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	server := h.env.Config.Host
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, u.Host)
	path := filepath.Join(h.dir, "kubeconfig-proxied")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(data), u.Host, p.addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, p
}

// TestAPIServerAndEtcdOutages runs one manager process through two faults
// under load (CHAOS_PROGRAMS/2 programs advancing): first it is cut off the
// API server for CHAOS_OUTAGE_SECONDS (default 60), then etcd is stopped
// for CHAOS_ETCD_SECONDS (default 15) and started again on the same data
// dir, the API server staying up but able to read and write nothing. After
// each, the same process converges every program and delivers each
// celebration once.
func TestAPIServerAndEtcdOutages(t *testing.T) {
	g := NewWithT(t)
	n := envInt(t, "CHAOS_PROGRAMS", 100) / 2
	outage := time.Duration(envInt(t, "CHAOS_OUTAGE_SECONDS", 60)) * time.Second
	down := time.Duration(envInt(t, "CHAOS_ETCD_SECONDS", 15)) * time.Second
	h := start(t)
	h.channel(t, ns)
	kubeconfig, proxy := h.proxied(t)
	h.kubeconfig = kubeconfig
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range n {
		it, ind := program(i)
		g.Expect(h.c.Create(ctx, it)).To(Succeed())
		g.Expect(h.c.Create(ctx, ind)).To(Succeed())
	}
	mgr := h.run(t, "manager.log")
	exited := make(chan struct{})
	go func() { _ = mgr.Wait(); close(exited) }()
	awaitCelebrationsRecorded(g, h)
	runner := &jobRunner{h: h, uids: map[string]map[types.UID]bool{}}
	go runner.loop(ctx, t)
	approvals := make([]int, n)

	recovery, posts, dup := underLoad(ctx, g, h, approvals, func() {
		proxy.cut()
		<-time.After(outage)
		proxy.restore(t)
	})
	g.Expect(exited).NotTo(BeClosed(), "the manager recovered without a restart")
	report("API server outage: %s cut off under load (%d programs), same process converged %.1fs after it was back, %d deliveries, %d duplicate POSTs",
		outage, n, recovery.Seconds(), posts, dup)
	g.Expect(dup).To(BeZero())

	etcd := h.env.ControlPlane.Etcd
	recovery, posts, dup = underLoad(ctx, g, h, approvals, func() {
		g.Expect(etcd.Stop()).To(Succeed())
		<-time.After(down)
		g.Expect(etcd.Start()).To(Succeed())
	})
	g.Expect(exited).NotTo(BeClosed(), "the manager recovered without a restart")
	report("etcd restart: etcd down %s under load (%d programs), same process converged %.1fs after it was back, %d deliveries in all, %d duplicate POSTs",
		down, n, recovery.Seconds(), posts, dup)
	g.Expect(dup).To(BeZero())
}

// convergeBound is how long every program may take to converge after an
// outage healed: the reflectors' longest backoff (60 s) plus time to list
// and reconcile on a shared 2-core machine.
const convergeBound = 120 * time.Second

// underLoad runs fault (which returns once it is healed) 5 s into a load
// of programs' approvals and indicator moves, stops the load, and waits
// until every program converged and every celebration was delivered. It
// returns how long convergence took after the fault healed, the POSTs
// received in all, and how many of them were duplicates.
func underLoad(ctx context.Context, g Gomega, h *harness, approvals []int, fault func()) (time.Duration, int, int) {
	n, mu := len(approvals), &sync.Mutex{}
	loadCtx, stopLoad := context.WithCancel(ctx)
	loadDone := make(chan struct{})
	go func() { load(loadCtx, h.c, n, approvals, mu, nil); close(loadDone) }()
	<-time.After(5 * time.Second)
	fault()
	healed := time.Now()
	stopLoad()
	<-loadDone

	// client-go's reflectors retry a broken list/watch with a backoff of up
	// to 30 s and jitter 1.0: up to 60 s before an informer lists again.
	g.Eventually(func(g Gomega) { converged(g, h.c, n, approvals) }).WithTimeout(convergeBound).WithPolling(500 * time.Millisecond).Should(Succeed())
	recovery := time.Since(healed)
	g.Eventually(func(g Gomega) { delivered(g, h, n) }).WithTimeout(60 * time.Second).WithPolling(500 * time.Millisecond).Should(Succeed())
	posts, dup := h.recv.posts(), 0
	for _, c := range posts {
		dup += c - 1
	}
	return recovery, len(posts), dup
}
