//go:build chaos

package chaos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// harness is a control plane, the manager binary built from this tree, an
// admin kubeconfig and client, and a webhook receiver on loopback.
type harness struct {
	env                      *envtest.Environment
	dir, manager, kubeconfig string
	c                        client.Client
	recv                     *receiver
}

func start(t *testing.T) *harness {
	t.Helper()
	logf.SetLogger(zap.New(zap.WriteTo(io.Discard))) // envtest's own logs are noise here
	env, err := testenv.New()
	if err != nil {
		t.Fatal(err)
	}
	// etcd on a data dir of the test's own, kept across a restart (see
	// TestEtcdRestart): envtest removes only a dir it made up itself.
	env.ControlPlane.Etcd = &envtest.Etcd{DataDir: filepath.Join(t.TempDir(), "etcd")}
	cfg, err := env.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	h := &harness{env: env, dir: t.TempDir(), recv: newReceiver(t)}
	if h.kubeconfig, err = testenv.Admin(env, h.dir); err != nil {
		t.Fatal(err)
	}
	h.manager = filepath.Join(h.dir, "manager")
	if out, err := exec.Command("go", "build", "-o", h.manager, "../../cmd/manager").CombinedOutput(); err != nil {
		t.Fatalf("building the manager: %v\n%s", err, out)
	}
	if h.c, err = client.New(cfg, client.Options{Scheme: testenv.Scheme}); err != nil {
		t.Fatal(err)
	}
	return h
}

// run starts the manager binary with the loopback exceptions the receiver
// needs and extra flags; its output goes to log.
func (h *harness) run(t *testing.T, log string, flags ...string) *exec.Cmd {
	t.Helper()
	args := append([]string{"--metrics-bind-address=0", "--health-probe-bind-address=0",
		"--allow-http-host=127.0.0.1", "--allow-cidr=127.0.0.0/8"}, flags...)
	cmd := exec.Command(h.manager, args...)
	cmd.Env = append(os.Environ(), "KUBECONFIG="+h.kubeconfig)
	f, err := os.OpenFile(filepath.Join(h.dir, log), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = f.Close() })
	return cmd
}

// receiver records every POST and its Idempotency-Key.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	keys map[string]int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{keys: map[string]int{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.keys[req.Header.Get("Idempotency-Key")]++
		r.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

// posts returns a copy of the POST counts by key.
func (r *receiver) posts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.keys))
	for k, v := range r.keys {
		out[k] = v
	}
	return out
}

// channel creates the webhook Channel "hooks" pointing at the receiver.
func (h *harness) channel(t *testing.T, ns string) {
	t.Helper()
	ctx := context.Background()
	for _, o := range []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "hooks", Labels: map[string]string{v1alpha1.LabelUsableFor: v1alpha1.PurposeChannel}},
			Data: map[string][]byte{v1alpha1.SecretKeyAddress: []byte(h.recv.URL + "/hook")}},
		&v1alpha1.Channel{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "hooks"},
			Spec: v1alpha1.ChannelSpec{Type: v1alpha1.ChannelWebhook, SecretRef: v1alpha1.LocalObjectReference{Name: "hooks"}}},
	} {
		if err := h.c.Create(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
}

// jobRunner does what the Job controller and kubelet would: it runs each
// delivery Job's pod command (`manager notify` with the pod's args and
// env, the Secret mounted as files) once, and records the outcome in the
// Job's status. It remembers the UID of every Job name, to catch a Job
// created twice.
type jobRunner struct {
	h    *harness
	mu   sync.Mutex
	uids map[string]map[types.UID]bool
	runs int
}

func (r *jobRunner) loop(ctx context.Context, t *testing.T) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		jobs := &batchv1.JobList{}
		if err := r.h.c.List(ctx, jobs, client.MatchingLabels{cronjobs.LabelManagedBy: cronjobs.ManagedBy}); err != nil {
			continue // the API server may be down
		}
		for i := range jobs.Items {
			r.runOnce(ctx, t, &jobs.Items[i])
		}
	}
}

func (r *jobRunner) runOnce(ctx context.Context, t *testing.T, job *batchv1.Job) {
	r.mu.Lock()
	if r.uids[job.Name] == nil {
		r.uids[job.Name] = map[types.UID]bool{}
	}
	seen := r.uids[job.Name][job.UID]
	r.uids[job.Name][job.UID] = true
	r.mu.Unlock()
	if seen || len(job.Status.Conditions) > 0 {
		return
	}
	code := r.h.notify(t, job)
	r.mu.Lock()
	r.runs++
	r.mu.Unlock()
	for attempt := 0; attempt < 100; attempt++ { // the API server may be down for a while
		if err := testenv.FinishJob(ctx, r.h.c, job, code, time.Now()); err == nil || ctx.Err() != nil {
			return
		}
		_ = r.h.c.Get(ctx, client.ObjectKeyFromObject(job), job)
		<-time.After(time.Second)
	}
}

// counts returns the Jobs run, and how many Job names were created again
// (under a new UID).
func (r *jobRunner) counts() (runs, recreated int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, uids := range r.uids {
		recreated += len(uids) - 1
	}
	return r.runs, recreated
}

// notify runs the Job's container command as its pod would.
func (h *harness) notify(t *testing.T, job *batchv1.Job) int {
	c := job.Spec.Template.Spec.Containers[0]
	secret := &corev1.Secret{}
	vol := job.Spec.Template.Spec.Volumes[0].Secret.SecretName
	if err := h.c.Get(context.Background(), types.NamespacedName{Namespace: job.Namespace, Name: vol}, secret); err != nil {
		return 1
	}
	dir := t.TempDir()
	for k, v := range secret.Data {
		if err := os.WriteFile(filepath.Join(dir, k), v, 0o600); err != nil {
			t.Error(err)
		}
	}
	args := make([]string, 0, len(c.Args))
	for _, a := range c.Args {
		if strings.HasPrefix(a, "--secret-dir=") {
			a = "--secret-dir=" + dir
		}
		args = append(args, a)
	}
	cmd := exec.Command(h.manager, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for _, e := range c.Env {
		cmd.Env = append(cmd.Env, e.Name+"="+e.Value)
	}
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		return 1
	}
	return 0
}

// envInt reads a positive count from the environment, or def.
func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q is not a positive number", name, v)
	}
	return n
}

func report(format string, args ...any) { fmt.Printf("CHAOS "+format+"\n", args...) }
