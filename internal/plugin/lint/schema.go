package lint

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

// Schemas validates objects of Momentum's kinds offline, with the
// apiextensions-apiserver code the API server runs for custom resources:
// pruning of unknown fields, defaulting, OpenAPI schema validation, list-type
// invariants and the CRDs' CEL rules.
type Schemas struct {
	byGVK map[schema.GroupVersionKind]*kindSchema
}

type kindSchema struct {
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	cel        *cel.Validator
}

// LoadSchemas reads every CustomResourceDefinition in fsys (*.yaml at its root).
func LoadSchemas(fsys fs.FS) (*Schemas, error) {
	files, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	s := &Schemas{byGVK: map[schema.GroupVersionKind]*kindSchema{}}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.UnmarshalStrict(data, crd); err != nil {
			return nil, fmt.Errorf("reading CRD %s: %w", f, err)
		}
		for _, v := range crd.Spec.Versions {
			ks, err := newKindSchema(v.Schema)
			if err != nil {
				return nil, fmt.Errorf("CRD %s version %s: %w", crd.Name, v.Name, err)
			}
			s.byGVK[schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}] = ks
		}
	}
	return s, nil
}

func newKindSchema(v *apiextensionsv1.CustomResourceValidation) (*kindSchema, error) {
	if v == nil || v.OpenAPIV3Schema == nil {
		return nil, fmt.Errorf("no schema")
	}
	internal := &apiextensions.JSONSchemaProps{}
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.OpenAPIV3Schema, internal, nil); err != nil {
		return nil, err
	}
	structural, err := structuralschema.NewStructural(internal)
	if err != nil {
		return nil, err
	}
	validator, _, err := apiservervalidation.NewSchemaValidator(internal)
	if err != nil {
		return nil, err
	}
	return &kindSchema{
		structural: structural,
		validator:  validator,
		cel:        cel.NewValidator(structural, true, celconfig.PerCallLimit),
	}, nil
}

// Known reports whether gvk is one of the shipped kinds.
func (s *Schemas) Known(gvk schema.GroupVersionKind) bool {
	_, ok := s.byGVK[gvk]
	return ok
}

// Validate checks obj (a decoded manifest) as the API server would on
// create, in the same order: unknown fields (rejected by kubectl's strict
// field validation), defaults, the OpenAPI schema, list-type invariants and,
// when nothing blocks them, the CEL rules. It prunes and defaults obj in place.
func (s *Schemas) Validate(ctx context.Context, gvk schema.GroupVersionKind, obj map[string]any) field.ErrorList {
	ks, ok := s.byGVK[gvk]
	if !ok {
		return field.ErrorList{field.NotSupported(field.NewPath("kind"), gvk.Kind, s.kinds())}
	}
	delete(obj, "status") // ignored on create: status is the controller's
	var unknownErrs field.ErrorList
	unknown := structuralpruning.PruneWithOptions(obj, ks.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	for _, p := range unknown {
		unknownErrs = append(unknownErrs, &field.Error{Type: field.ErrorTypeNotSupported, Field: strings.TrimPrefix(p, "."), BadValue: field.OmitValueType{}, Detail: "unknown field: the schema does not declare it (kubectl's strict field validation rejects it)"})
	}
	structuraldefaulting.Default(obj, ks.structural)
	errs := objectmeta.Validate(ctx, nil, obj, ks.structural, false)
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, obj, ks.validator)...)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, ks.structural, obj)...)
	if !blocking(errs) { // the API server's rule: CEL runs unless the schema failed in these ways
		celErrs, _ := ks.cel.Validate(ctx, nil, ks.structural, obj, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	return append(unknownErrs, errs...)
}

// blocking mirrors the API server's hasBlockingErr: errors after which CEL
// rules are not evaluated.
func blocking(errs field.ErrorList) bool {
	for _, err := range errs {
		switch err.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			return true
		}
	}
	return false
}

func (s *Schemas) kinds() []string {
	out := make([]string, 0, len(s.byGVK))
	for gvk := range s.byGVK {
		out = append(out, gvk.Kind)
	}
	return out
}
