// Command demo runs Momentum on a local control plane with no cluster:
// etcd, kube-apiserver and kube-controller-manager from bin/k8s, the CRDs,
// the manager binary, and the sample program from config/samples.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/momentum-dev/momentum/internal/testenv"
)

func main() {
	manager := flag.String("manager", filepath.Join("bin", "manager"), "Path of the manager binary.")
	workDir := flag.String("dir", ".demo", "Directory for the kubeconfig and logs.")
	once := flag.Bool("once", false, "Stop after showing the program instead of waiting for Ctrl-C.")
	playbook := flag.Bool("playbook", false, "Also apply config/samples/playbook: the whole method as one program, in namespace playbook.")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *manager, *workDir, *once, *playbook, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run starts everything, applies the samples, prints the program and, unless
// once is set, waits for ctx to end; then it stops everything it started.
func run(ctx context.Context, managerBin, workDir string, once, playbook bool, out *os.File) (err error) {
	d := &demo{out: out}
	defer func() {
		if serr := d.stop(); serr != nil && err == nil {
			err = serr
		}
	}()
	if err := d.startControlPlane(workDir); err != nil {
		return err
	}
	feedbackURL := d.serveFeedback()
	if err := d.startManager(managerBin); err != nil {
		return err
	}
	if err := d.applySamples(ctx, feedbackURL); err != nil {
		return err
	}
	if err := d.show(ctx); err != nil {
		return err
	}
	if err := showPlaybook(func(args ...string) error { return d.kubectl(ctx, nil, args...) }, out, playbook); err != nil {
		return fmt.Errorf("the playbook (see %s): %w", d.managerLog, err)
	}
	return d.wait(ctx, once)
}

// demo is what run started, in order, and how to reach it.
type demo struct {
	out                 *os.File
	workDir, kubeconfig string
	kubectlBin          string
	managerLog          string
	stops               []func() error // what was started, to stop in reverse
}

// stop stops everything started, the last first; the control plane's
// error, if any, is returned.
func (d *demo) stop() error {
	var err error
	for i := len(d.stops) - 1; i >= 0; i-- {
		if serr := d.stops[i](); serr != nil && err == nil {
			err = serr
		}
	}
	return err
}

// startControlPlane starts etcd, kube-apiserver and kube-controller-manager
// (garbage collection, CronJobs, Jobs), with their logs in workDir, and
// writes an admin kubeconfig there.
func (d *demo) startControlPlane(workDir string) error {
	if err := os.MkdirAll(workDir, 0o755); err != nil {
		return err
	}
	d.workDir, _ = filepath.Abs(workDir)
	logs, err := os.Create(filepath.Join(d.workDir, "control-plane.log"))
	if err != nil {
		return err
	}
	d.stops = append(d.stops, func() error { _ = logs.Close(); return nil })

	fmt.Fprintln(d.out, "Starting etcd and kube-apiserver...")
	env, err := testenv.New()
	if err != nil {
		return err
	}
	if _, err := env.Start(); err != nil {
		return fmt.Errorf("starting the control plane: %w", err)
	}
	d.stops = append(d.stops, env.Stop)
	d.kubectlBin = filepath.Join(env.BinaryAssetsDirectory, "kubectl")
	if d.kubeconfig, err = testenv.Admin(env, d.workDir); err != nil {
		return err
	}
	fmt.Fprintln(d.out, "Starting kube-controller-manager (garbage collection, CronJobs, Jobs)...")
	kcm, err := testenv.StartControllerManager(d.kubeconfig, logs)
	if err != nil {
		return err
	}
	d.stops = append(d.stops, func() error { _ = kcm.Stop(); return nil })
	return nil
}

// serveFeedback serves, on loopback, a customer-feedback API for a live
// indicator: its NPS climbs while the demo runs. It returns its URL.
func (d *demo) serveFeedback() string {
	started := time.Now()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"data":{"nps":%d,"responses":412}}`, min(24+int(time.Since(started)/(30*time.Second)), 45))
	}))
	d.stops = append(d.stops, func() error { api.Close(); return nil })
	return api.URL
}

// startManager starts the manager binary against the control plane, its
// log in the work directory.
func (d *demo) startManager(managerBin string) error {
	fmt.Fprintln(d.out, "Starting the Momentum manager...")
	mgrLog, err := os.Create(filepath.Join(d.workDir, "manager.log"))
	if err != nil {
		return err
	}
	d.managerLog = mgrLog.Name()
	d.stops = append(d.stops, func() error { _ = mgrLog.Close(); return nil })
	// The demo's feedback API is on loopback, which the outbound policy
	// refuses unless allowed; a real deployment needs no such flags.
	mgr := exec.Command(managerBin, "--metrics-bind-address=0", "--health-probe-bind-address=0",
		"--allow-http-host=127.0.0.1", "--allow-cidr=127.0.0.0/8")
	mgr.Env = append(os.Environ(), "KUBECONFIG="+d.kubeconfig)
	mgr.Stdout, mgr.Stderr = mgrLog, mgrLog
	if err := mgr.Start(); err != nil {
		return fmt.Errorf("starting the manager %s (run `make build`): %w", managerBin, err)
	}
	d.stops = append(d.stops, func() error {
		_ = mgr.Process.Signal(os.Interrupt)
		_ = mgr.Wait()
		return nil
	})
	return nil
}

// kubectl runs kubectl against the control plane, printing what it says;
// stdin, when set, is its input.
func (d *demo) kubectl(ctx context.Context, stdin io.Reader, args ...string) error {
	cmd := exec.CommandContext(ctx, d.kubectlBin, args...)
	cmd.Env = append(os.Environ(), "KUBECONFIG="+d.kubeconfig)
	cmd.Stdin = stdin
	cmd.Stdout, cmd.Stderr = d.out, d.out
	return cmd.Run()
}

// applySamples applies config/samples and the live indicator measuring the
// feedback API, and waits for the program to be Ready.
func (d *demo) applySamples(ctx context.Context, feedbackURL string) error {
	fmt.Fprintln(d.out, "Applying config/samples...")
	if err := d.kubectl(ctx, nil, "apply", "--server-side", "-k", filepath.Join(testenv.RepoRoot(), "config", "samples")); err != nil {
		return err
	}
	live := strings.NewReader(fmt.Sprintf(liveIndicator, feedbackURL))
	if err := d.kubectl(ctx, live, "apply", "--server-side", "-n", sampleNamespace, "-f", "-"); err != nil {
		return err
	}
	if err := d.kubectl(ctx, nil, "wait", "-n", sampleNamespace, "--for=condition=Ready", "--timeout=60s", "initiatives,leadingindicators,channels,recognitioncampaigns", "--all"); err != nil {
		return fmt.Errorf("waiting for the sample program to be Ready (see %s): %w", d.managerLog, err)
	}
	return nil
}

// show prints the program, its CronJobs and the gates of its current stage.
func (d *demo) show(ctx context.Context) error {
	for _, args := range [][]string{
		{"momentum", "-n", sampleNamespace},
		{"cronjobs", "-n", sampleNamespace, "-l", "app.kubernetes.io/managed-by=momentum"},
		{"initiative", "customer-first", "-n", sampleNamespace, "-o",
			`jsonpath={range .status.gates[*]}{.met}{"\t"}{.kind}{"\t"}{.message}{"\n"}{end}`},
	} {
		fmt.Fprintln(d.out)
		if err := d.kubectl(ctx, nil, append([]string{"get"}, args...)...); err != nil {
			return err
		}
	}
	return nil
}

// wait says how to reach the control plane and waits for Ctrl-C, unless
// once is set.
func (d *demo) wait(ctx context.Context, once bool) error {
	if once {
		fmt.Fprintln(d.out, "\nStopping (--once).")
		return nil
	}
	fmt.Fprintf(d.out, "\nThe control plane is running. Point kubectl at it with:\n\n  export KUBECONFIG=%s\n  %s get momentum -A\n  %s describe initiative customer-first -n culture\n\n",
		d.kubeconfig, d.kubectlBin, d.kubectlBin)
	fmt.Fprintln(d.out, "Press Ctrl-C to stop everything.")
	<-ctx.Done()
	fmt.Fprintln(d.out, "\nStopping the manager, kube-controller-manager, kube-apiserver and etcd...")
	if !errors.Is(ctx.Err(), context.Canceled) {
		return ctx.Err()
	}
	return nil
}

// sampleNamespace is the namespace of config/samples.
const sampleNamespace = "culture"

// liveIndicator measures the demo's feedback API every 30 seconds (the least interval the API allows).
const liveIndicator = `apiVersion: culture.momentum.dev/v1alpha1
kind: LeadingIndicator
metadata:
  name: customer-nps
spec:
  initiativeRef: {name: customer-first}
  category: CustomerAdvocacy
  description: "Net Promoter Score from the feedback tool (served by the demo)"
  unit: NPS
  target: {value: 40, atRiskMargin: 10}
  source:
    http:
      url: %s/api/nps
      jsonPath: "{.data.nps}"
      interval: 30s
`

// showPlaybook, when asked to, applies config/samples/playbook, waits for it to be Ready and
// shows it: the stages, the Success Index and the culture assessment.
func showPlaybook(kubectl func(args ...string) error, out *os.File, playbook bool) error {
	if !playbook {
		return nil
	}
	fmt.Fprintln(out, "\nApplying config/samples/playbook...")
	if err := kubectl("apply", "--server-side", "-k", filepath.Join(testenv.RepoRoot(), "config", "samples", "playbook")); err != nil {
		return err
	}
	if err := kubectl("wait", "-n", "playbook", "--for=condition=Ready", "--timeout=60s",
		"initiatives,leadingindicators,channels,recognitioncampaigns,commitments,cultureassessments", "--all"); err != nil {
		return err
	}
	fmt.Fprintln(out)
	if err := kubectl("get", "momentum", "-n", "playbook"); err != nil {
		return err
	}
	fmt.Fprintln(out)
	return kubectl("get", "initiative", "customer-culture", "-n", "playbook", "-o",
		`jsonpath=Success Index: {.status.commitments.meanIndex} (participation {.status.commitments.participation}%, {.status.commitments.reviewsOnTime}% of reviews on time){"\n"}{.status.funnel.weakestLink}{"\n"}{.status.funnel.weakestDiscipline}{"\n"}`)
}
