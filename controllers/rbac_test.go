package controllers_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"

	"github.com/momentum-dev/momentum/internal/testenv"
)

// The manager's generated role is least privilege: no wildcards, and Secrets
// may only be read one by one (never listed, watched or cached).
func TestManagerRoleIsLeastPrivilege(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "rbac", "role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	role := &rbacv1.ClusterRole{}
	if err := yaml.Unmarshal(data, role); err != nil {
		t.Fatal(err)
	}
	if len(role.Rules) == 0 {
		t.Fatal("the role has no rules")
	}
	sawSecrets := false
	for _, r := range role.Rules {
		for _, field := range [][]string{r.APIGroups, r.Resources, r.Verbs, r.ResourceNames, r.NonResourceURLs} {
			if slices.Contains(field, "*") {
				t.Errorf("wildcard in rule %+v", r)
			}
		}
		if slices.Contains(r.Resources, "secrets") {
			sawSecrets = true
			if !slices.Equal(r.Verbs, []string{"get"}) {
				t.Errorf("secrets verbs = %v, want only get", r.Verbs)
			}
		}
		for _, res := range r.Resources {
			if filepath.Ext(res) == "" && slices.Contains(r.Verbs, "update") && res != "cronjobs" {
				t.Errorf("the manager updates %s; it only needs patch", res)
			}
		}
	}
	if !sawSecrets {
		t.Error("no rule for secrets: Channels cannot be checked")
	}
}
