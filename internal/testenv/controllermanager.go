package testenv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Admin adds a cluster-admin user to a started environment and writes its
// kubeconfig to dir/kubeconfig, returning the path.
func Admin(env *envtest.Environment, dir string) (string, error) {
	user, err := env.AddUser(envtest.User{Name: "momentum-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return "", fmt.Errorf("adding admin user: %w", err)
	}
	data, err := user.KubeConfig()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", err
	}
	return path, nil
}

// ControllerManager is a running kube-controller-manager.
type ControllerManager struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// StartControllerManager runs kube-controller-manager against the cluster
// of kubeconfig with the controllers Momentum relies on: garbage collection
// of owned objects, CronJobs, Jobs and namespace deletion. No kubelet runs,
// so pods stay Pending.
func StartControllerManager(kubeconfig string, logTo *os.File) (*ControllerManager, error) {
	dir, err := AssetsDir()
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "kube-controller-manager")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("kube-controller-manager not found in %s: run `make envtest`", dir)
	}
	cmd := exec.Command(bin,
		"--kubeconfig="+kubeconfig,
		"--controllers=garbagecollector,cronjob,job,namespace,serviceaccount",
		"--leader-elect=false",
		"--secure-port=0",
		"--concurrent-gc-syncs=5",
	)
	cmd.Stdout, cmd.Stderr = logTo, logTo
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting kube-controller-manager: %w", err)
	}
	cm := &ControllerManager{cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait() // an exit status after Stop's interrupt is expected
		close(cm.done)
	}()
	return cm, nil
}

// Stop terminates the controller manager and waits for it.
func (cm *ControllerManager) Stop() error {
	_ = cm.cmd.Process.Signal(os.Interrupt)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	select {
	case <-cm.done:
		return nil
	case <-ctx.Done():
		_ = cm.cmd.Process.Kill()
		<-cm.done
		return fmt.Errorf("kube-controller-manager did not stop in time; killed")
	}
}
