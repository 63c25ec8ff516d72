// Package ssa writes child objects with server-side apply under Momentum's
// one field owner, so that what Momentum sets is tracked field by field, and
// makes sure Momentum only ever writes or deletes objects it controls: a name
// held by someone else's object is reported, never taken over.
package ssa

import (
	"context"
	"fmt"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/internal/cronjobs"
)

// Apply applies obj (a typed object with TypeMeta set) as Momentum's field
// owner.
//
// With uid (the object Momentum controls, as last read) the apply updates
// only that object (the API server refuses another one under the name) and
// forces: fields Momentum owns that someone else changed are taken back.
//
// Without uid it creates the object and does not force, so an object that
// appeared under the name since it was looked up is never overwritten (a
// differing field is a conflict). If the apply still merged into such an
// object, Momentum's fields are withdrawn again and a *NameTaken is returned.
func Apply(ctx context.Context, c client.Client, obj client.Object, uid types.UID) error {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return err
	}
	delete(m, "status")
	md, _ := m["metadata"].(map[string]any)
	if md != nil {
		delete(md, "creationTimestamp")
		delete(md, "uid")
	}
	u := &unstructured.Unstructured{Object: m}
	if uid != "" {
		u.SetUID(uid)
		return c.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(cronjobs.FieldOwner), client.ForceOwnership)
	}
	if err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(cronjobs.FieldOwner)); err != nil {
		if apierrors.IsConflict(err) {
			return &NameTaken{Kind: obj.GetObjectKind().GroupVersionKind().Kind, Name: obj.GetName(), Controller: "unknown"}
		}
		return err
	}
	if foreign := otherWriter(u.GetManagedFields()); foreign != "" {
		return withdraw(ctx, c, u, foreign)
	}
	return nil
}

// otherWriter names a field manager other than Momentum that wrote the
// object (not its status): an object Momentum just created has none.
func otherWriter(entries []metav1.ManagedFieldsEntry) string {
	for _, e := range entries {
		if e.Manager != cronjobs.FieldOwner && e.Subresource == "" {
			return e.Manager
		}
	}
	return ""
}

// withdraw applies nothing to u as Momentum's field owner: every field only
// Momentum set (its labels, owner reference, container) is removed again,
// leaving the other writer's object as it was.
func withdraw(ctx context.Context, c client.Client, u *unstructured.Unstructured, foreign string) error {
	empty := &unstructured.Unstructured{}
	empty.SetAPIVersion(u.GetAPIVersion())
	empty.SetKind(u.GetKind())
	empty.SetNamespace(u.GetNamespace())
	empty.SetName(u.GetName())
	empty.SetUID(u.GetUID())
	if err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(empty), client.FieldOwner(cronjobs.FieldOwner)); err != nil {
		return fmt.Errorf("withdrawing from %s %s, created meanwhile by %s: %w", u.GetKind(), u.GetName(), foreign, err)
	}
	return &NameTaken{Kind: u.GetKind(), Name: u.GetName(), Controller: "none, written by " + foreign}
}

// NameTaken says a child's name is held by an object the owner does not control.
type NameTaken struct {
	// Kind and Name of the object holding the name.
	Kind, Name string
	// Controller describes its controller ("none" when it has none).
	Controller string
}

func (e *NameTaken) Error() string {
	return fmt.Sprintf("%s %s already exists and Momentum does not control it (its controller: %s)", e.Kind, e.Name, e.Controller)
}

// Lookup reads obj's name from the API server, not the cache (which holds
// only objects labelled as Momentum's), into obj. It reports whether the
// object exists, and returns a *NameTaken when owner does not control it.
func Lookup(ctx context.Context, r client.Reader, owner metav1.Object, kind string, obj client.Object) (bool, error) {
	err := r.Get(ctx, client.ObjectKeyFromObject(obj), obj)
	switch {
	case apierrors.IsNotFound(err):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, Controlled(owner, kind, obj)
}

// Controlled returns a *NameTaken unless owner is obj's (a kind's) controller.
func Controlled(owner metav1.Object, kind string, obj client.Object) error {
	if metav1.IsControlledBy(obj, owner) {
		return nil
	}
	controller := "none"
	if ref := metav1.GetControllerOf(obj); ref != nil {
		controller = ref.Kind + " " + ref.Name
	}
	return &NameTaken{Kind: kind, Name: obj.GetName(), Controller: controller}
}

// Delete deletes obj, which owner controlled when it was last read, only if
// it is still that very object at that version: an object replaced or
// changed since (given to someone else) is left alone, and the conflict
// retried.
func Delete(ctx context.Context, c client.Client, obj client.Object) error {
	uid, rv := obj.GetUID(), obj.GetResourceVersion()
	return client.IgnoreNotFound(c.Delete(ctx, obj, client.Preconditions{UID: &uid, ResourceVersion: &rv}))
}

// Unowned checks, after a create of obj (a kind) met AlreadyExists, the
// object holding its name, read from the API server into obj (which must
// carry only its namespace and name): nil when it carries
// all of labels (Momentum's own, not in the cache yet: retried), a
// *NameTaken when it does not (someone else's: Momentum never takes it
// over), or the read's error.
func Unowned(ctx context.Context, r client.Reader, kind string, obj client.Object, labels map[string]string) error {
	err := r.Get(ctx, client.ObjectKeyFromObject(obj), obj)
	switch {
	case apierrors.IsNotFound(err):
		return nil // gone since: the next create makes it
	case err != nil:
		return err
	}
	for k, v := range labels {
		if obj.GetLabels()[k] != v {
			return &NameTaken{Kind: kind, Name: obj.GetName(), Controller: "none"}
		}
	}
	return nil
}

// CreateJob creates job, a delivery Job of owner. Its name is deterministic,
// so when it is already held the holder is looked up on the API server: a
// Job owner controls was created by an earlier reconcile whose record did
// not land (created is false, no error); one it does not control is a
// *NameTaken, never taken over.
func CreateJob(ctx context.Context, c client.Client, r client.Reader, owner metav1.Object, job *batchv1.Job) (created bool, err error) {
	err = c.Create(ctx, job)
	if !apierrors.IsAlreadyExists(err) {
		return err == nil, err
	}
	_, err = Lookup(ctx, r, owner, "Job", &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Namespace: job.Namespace, Name: job.Name}})
	return false, err
}
