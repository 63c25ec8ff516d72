package ssa

import (
	"testing"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

func TestControlled(t *testing.T) {
	owner := &metav1.ObjectMeta{Name: "backup", UID: "u1"}
	ref := func(uid string, controller bool) metav1.OwnerReference {
		return metav1.OwnerReference{Kind: "Initiative", Name: "backup", UID: types.UID(uid), Controller: ptr.To(controller)}
	}
	tests := map[string]struct {
		// refs are the object's owner references.
		refs []metav1.OwnerReference
		// taken is the error message, empty when owner controls the object.
		taken string
	}{
		"controlled":                  {refs: []metav1.OwnerReference{ref("u1", true)}},
		"no owner":                    {taken: "CronJob backup-nightly already exists and Momentum does not control it (its controller: none)"},
		"owner but not controller":    {refs: []metav1.OwnerReference{ref("u1", false)}, taken: "(its controller: none)"},
		"same name, another UID":      {refs: []metav1.OwnerReference{{Kind: "Initiative", Name: "backup", UID: "u2", Controller: ptr.To(true)}}, taken: "(its controller: Initiative backup)"},
		"controlled by another owner": {refs: []metav1.OwnerReference{{Kind: "Deployment", Name: "x", UID: "u3", Controller: ptr.To(true)}}, taken: "(its controller: Deployment x)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			cj := &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: "backup-nightly", OwnerReferences: tc.refs}}
			err := Controlled(owner, "CronJob", cj)
			if tc.taken == "" {
				g.Expect(err).NotTo(HaveOccurred())
				return
			}
			g.Expect(err).To(MatchError(ContainSubstring(tc.taken)))
		})
	}
}

func TestOtherWriter(t *testing.T) {
	tests := map[string]struct {
		entries []metav1.ManagedFieldsEntry
		want    string
	}{
		"only Momentum":            {entries: []metav1.ManagedFieldsEntry{{Manager: "momentum", Operation: metav1.ManagedFieldsOperationApply}}},
		"status by the controller": {entries: []metav1.ManagedFieldsEntry{{Manager: "momentum"}, {Manager: "kube-controller-manager", Subresource: "status"}}},
		"created by someone else":  {entries: []metav1.ManagedFieldsEntry{{Manager: "kubectl-create"}, {Manager: "momentum"}}, want: "kubectl-create"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(otherWriter(tc.entries)).To(Equal(tc.want))
		})
	}
}
