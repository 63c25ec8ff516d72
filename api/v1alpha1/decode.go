package v1alpha1

import (
	"encoding/json"
	"reflect"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"
)

// AnnotationDecodeError is set, in the manager's memory only, on an object
// whose spec or status the manager could not decode. Its value is the
// decoder's error. It is never written back.
//
// The CRDs check every field with the parser the manager uses, so the API
// server should accept nothing the manager cannot read. This is the second
// line of defence: without it, one such object (written before a CRD
// upgrade, or through a gap in validation) would make the whole list of its
// kind undecodable, so the manager's cache would never sync and Momentum
// would stop in every namespace. Instead the object arrives with its
// identity only and this annotation, and its controller reports it as
// Stalled without acting on it.
const AnnotationDecodeError = "culture.momentum.dev/decode-error"

// maxDecodeErrorLength bounds the error kept on the object.
const maxDecodeErrorLength = 512

// DecodeError says why the manager could not decode obj, or "" when it could.
func DecodeError(obj metav1.Object) string {
	return obj.GetAnnotations()[AnnotationDecodeError]
}

// decodeOrMark decodes data into plain (the object's type without its
// UnmarshalJSON method). When that fails but the object's identity can be
// read, it resets the object to that identity (and its status, when the
// status alone decodes, so that reporting the failure is written once),
// marks it with the error and succeeds: the list or watch event the object
// arrived in still decodes. An object that decodes never carries the
// annotation, whoever wrote it.
func decodeOrMark(data []byte, plain any, meta *metav1.ObjectMeta, reset func(metav1.TypeMeta, metav1.ObjectMeta) (status any)) error {
	err := kjson.UnmarshalCaseSensitivePreserveInts(data, plain)
	if err == nil {
		delete(meta.Annotations, AnnotationDecodeError)
		return nil
	}
	var head struct {
		metav1.TypeMeta `json:",inline"`
		Metadata        metav1.ObjectMeta `json:"metadata"`
		Status          json.RawMessage   `json:"status"`
	}
	if kjson.UnmarshalCaseSensitivePreserveInts(data, &head) != nil || head.Metadata.Name == "" {
		return err
	}
	msg := err.Error()
	if len(msg) > maxDecodeErrorLength {
		msg = msg[:maxDecodeErrorLength] + "…"
	}
	metav1.SetMetaDataAnnotation(&head.Metadata, AnnotationDecodeError, msg)
	decodeIfValid(head.Status, reset(head.TypeMeta, head.Metadata))
	return nil
}

// decodeIfValid decodes data into *into only when all of it decodes.
func decodeIfValid(data []byte, into any) {
	if len(data) == 0 {
		return
	}
	fresh := reflect.New(reflect.TypeOf(into).Elem())
	if kjson.UnmarshalCaseSensitivePreserveInts(data, fresh.Interface()) == nil {
		reflect.ValueOf(into).Elem().Set(fresh.Elem())
	}
}

// UnmarshalJSON decodes an Initiative; see AnnotationDecodeError.
func (in *Initiative) UnmarshalJSON(data []byte) error {
	type plain Initiative
	return decodeOrMark(data, (*plain)(in), &in.ObjectMeta, func(t metav1.TypeMeta, m metav1.ObjectMeta) any {
		*in = Initiative{TypeMeta: t, ObjectMeta: m}
		return &in.Status
	})
}

// UnmarshalJSON decodes a LeadingIndicator; see AnnotationDecodeError.
func (in *LeadingIndicator) UnmarshalJSON(data []byte) error {
	type plain LeadingIndicator
	return decodeOrMark(data, (*plain)(in), &in.ObjectMeta, func(t metav1.TypeMeta, m metav1.ObjectMeta) any {
		*in = LeadingIndicator{TypeMeta: t, ObjectMeta: m}
		return &in.Status
	})
}

// UnmarshalJSON decodes a Channel; see AnnotationDecodeError.
func (in *Channel) UnmarshalJSON(data []byte) error {
	type plain Channel
	return decodeOrMark(data, (*plain)(in), &in.ObjectMeta, func(t metav1.TypeMeta, m metav1.ObjectMeta) any {
		*in = Channel{TypeMeta: t, ObjectMeta: m}
		return &in.Status
	})
}

// UnmarshalJSON decodes a RecognitionCampaign; see AnnotationDecodeError.
func (in *RecognitionCampaign) UnmarshalJSON(data []byte) error {
	type plain RecognitionCampaign
	return decodeOrMark(data, (*plain)(in), &in.ObjectMeta, func(t metav1.TypeMeta, m metav1.ObjectMeta) any {
		*in = RecognitionCampaign{TypeMeta: t, ObjectMeta: m}
		return &in.Status
	})
}

// UnmarshalJSON decodes a Commitment; see AnnotationDecodeError.
func (in *Commitment) UnmarshalJSON(data []byte) error {
	type plain Commitment
	return decodeOrMark(data, (*plain)(in), &in.ObjectMeta, func(t metav1.TypeMeta, m metav1.ObjectMeta) any {
		*in = Commitment{TypeMeta: t, ObjectMeta: m}
		return &in.Status
	})
}

// UnmarshalJSON decodes a CultureAssessment; see AnnotationDecodeError.
func (in *CultureAssessment) UnmarshalJSON(data []byte) error {
	type plain CultureAssessment
	return decodeOrMark(data, (*plain)(in), &in.ObjectMeta, func(t metav1.TypeMeta, m metav1.ObjectMeta) any {
		*in = CultureAssessment{TypeMeta: t, ObjectMeta: m}
		return &in.Status
	})
}
