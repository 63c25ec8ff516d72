package ssa

import (
	"context"
	"errors"
	"testing"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
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

func TestUnowned(t *testing.T) {
	labels := map[string]string{"app.kubernetes.io/managed-by": "momentum", "culture.momentum.dev/campaign": "heroes"}
	cm := func(l map[string]string) client.Object {
		return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "heroes-ledger-1", Labels: l}}
	}
	tests := map[string]struct {
		existing []client.Object
		taken    bool
	}{
		"gone since: created next time":     {},
		"Momentum's own, not cached yet":    {existing: []client.Object{cm(labels)}},
		"someone else's, unlabelled: taken": {existing: []client.Object{cm(nil)}, taken: true},
		"labelled for another owner: taken": {existing: []client.Object{cm(map[string]string{"app.kubernetes.io/managed-by": "momentum", "culture.momentum.dev/campaign": "other"})}, taken: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			r := fake.NewClientBuilder().WithObjects(tc.existing...).Build()
			err := Unowned(context.Background(), r, "ConfigMap", cm(nil), labels)
			var taken *NameTaken
			g.Expect(errors.As(err, &taken)).To(Equal(tc.taken))
			if !tc.taken {
				g.Expect(err).NotTo(HaveOccurred())
				return
			}
			g.Expect(err.Error()).To(Equal("ConfigMap heroes-ledger-1 already exists and Momentum does not control it (its controller: none)"))
		})
	}
}
