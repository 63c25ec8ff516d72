// Command demo runs Momentum on a local control plane with no cluster:
// etcd, kube-apiserver and kube-controller-manager from bin/k8s, the CRDs,
// the manager binary, and the sample program from config/samples.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
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
	if err := os.MkdirAll(workDir, 0o755); err != nil {
		return err
	}
	workDir, _ = filepath.Abs(workDir)
	logs, err := os.Create(filepath.Join(workDir, "control-plane.log"))
	if err != nil {
		return err
	}
	defer func() { _ = logs.Close() }()

	fmt.Fprintln(out, "Starting etcd and kube-apiserver...")
	env, err := testenv.New()
	if err != nil {
		return err
	}
	if _, err := env.Start(); err != nil {
		return fmt.Errorf("starting the control plane: %w", err)
	}
	defer func() {
		if serr := env.Stop(); serr != nil && err == nil {
			err = serr
		}
	}()
	kubeconfig, err := testenv.Admin(env, workDir)
	if err != nil {
		return err
	}

	fmt.Fprintln(out, "Starting kube-controller-manager (garbage collection, CronJobs, Jobs)...")
	kcm, err := testenv.StartControllerManager(kubeconfig, logs)
	if err != nil {
		return err
	}
	defer func() { _ = kcm.Stop() }()

	// A live indicator: the demo serves a customer-feedback API on loopback
	// whose NPS climbs while the demo runs.
	started := time.Now()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"data":{"nps":%d,"responses":412}}`, min(24+int(time.Since(started)/(30*time.Second)), 45))
	}))
	defer api.Close()

	fmt.Fprintln(out, "Starting the Momentum manager...")
	mgrLog, err := os.Create(filepath.Join(workDir, "manager.log"))
	if err != nil {
		return err
	}
	defer func() { _ = mgrLog.Close() }()
	// The demo's feedback API is on loopback, which the outbound policy
	// refuses unless allowed; a real deployment needs no such flags.
	mgr := exec.Command(managerBin, "--metrics-bind-address=0", "--health-probe-bind-address=0",
		"--allow-http-host=127.0.0.1", "--allow-cidr=127.0.0.0/8")
	mgr.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	mgr.Stdout, mgr.Stderr = mgrLog, mgrLog
	if err := mgr.Start(); err != nil {
		return fmt.Errorf("starting the manager %s (run `make build`): %w", managerBin, err)
	}
	defer func() {
		_ = mgr.Process.Signal(os.Interrupt)
		_ = mgr.Wait()
	}()

	kubectl := func(args ...string) error {
		cmd := exec.CommandContext(ctx, filepath.Join(env.BinaryAssetsDirectory, "kubectl"), args...)
		cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
		cmd.Stdout, cmd.Stderr = out, out
		return cmd.Run()
	}
	fmt.Fprintln(out, "Applying config/samples...")
	if err := kubectl("apply", "--server-side", "-k", filepath.Join(testenv.RepoRoot(), "config", "samples")); err != nil {
		return err
	}
	live := exec.CommandContext(ctx, filepath.Join(env.BinaryAssetsDirectory, "kubectl"), "apply", "--server-side", "-n", "culture", "-f", "-")
	live.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	live.Stdin = strings.NewReader(fmt.Sprintf(liveIndicator, api.URL))
	live.Stdout, live.Stderr = out, out
	if err := live.Run(); err != nil {
		return err
	}
	if err := kubectl("wait", "-n", "culture", "--for=condition=Ready", "--timeout=60s", "initiatives,leadingindicators,channels,recognitioncampaigns", "--all"); err != nil {
		return fmt.Errorf("waiting for the sample program to be Ready (see %s): %w", mgrLog.Name(), err)
	}
	fmt.Fprintln(out)
	if err := kubectl("get", "momentum", "-n", "culture"); err != nil {
		return err
	}
	fmt.Fprintln(out)
	if err := kubectl("get", "cronjobs", "-n", "culture", "-l", "app.kubernetes.io/managed-by=momentum"); err != nil {
		return err
	}
	fmt.Fprintln(out)
	if err := kubectl("get", "initiative", "customer-first", "-n", "culture", "-o",
		`jsonpath={range .status.gates[*]}{.met}{"\t"}{.kind}{"\t"}{.message}{"\n"}{end}`); err != nil {
		return err
	}
	if err := showPlaybook(kubectl, out, playbook); err != nil {
		return fmt.Errorf("the playbook (see %s): %w", mgrLog.Name(), err)
	}
	if once {
		fmt.Fprintln(out, "\nStopping (--once).")
		return nil
	}
	fmt.Fprintf(out, "\nThe control plane is running. Point kubectl at it with:\n\n  export KUBECONFIG=%s\n  %s get momentum -A\n  %s describe initiative customer-first -n culture\n\n",
		kubeconfig, filepath.Join(env.BinaryAssetsDirectory, "kubectl"), filepath.Join(env.BinaryAssetsDirectory, "kubectl"))
	fmt.Fprintln(out, "Press Ctrl-C to stop everything.")
	<-ctx.Done()
	fmt.Fprintln(out, "\nStopping the manager, kube-controller-manager, kube-apiserver and etcd...")
	if !errors.Is(ctx.Err(), context.Canceled) {
		return ctx.Err()
	}
	return nil
}

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
