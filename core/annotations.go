package core

import (
	"context"
	"io"
)

// AnnotationOn is one annotation linked to an object, as the right-hand
// panel shows it: the link (whose owner "added" it and who may remove it),
// the annotation itself, and what the panel needs beside it.
type AnnotationOn struct {
	Link       ObjectView `json:"link"`
	Annotation ObjectView `json:"annotation"`
	// TagSets names the tag sets that hold a tag (empty for other kinds).
	TagSets []string `json:"tagSets,omitempty"`
	// File is the OriginalFile of a FileAnnotation (its name and size).
	File *ObjectView `json:"file,omitempty"`
}

// Annotations reads what is attached to objects.
type Annotations interface {
	// Annotations lists the annotations linked to target that the caller
	// can see, oldest link first. A target the caller may not see is
	// NotFound.
	Annotations(ctx context.Context, target Ref) ([]AnnotationOn, error)
	// OpenFile opens the bytes of an OriginalFile the caller can read (an
	// attachment, to download). The caller closes it.
	OpenFile(ctx context.Context, file Ref) (io.ReadCloser, error)
}

// AnnotationsBatch is implemented by sessions that read the annotations of
// many objects at once (the in-process session, in one read transaction per
// batch); the grid's filters use it when the session has it and fall back to
// Annotations one object at a time otherwise. It is not part of Session, so
// remote sessions need not implement it.
type AnnotationsBatch interface {
	// AnnotationsOf lists, for each target in order, what Annotations would.
	// A target the caller may not see gets no annotations (not an error),
	// as a grid may list an image that was deleted meanwhile.
	AnnotationsOf(ctx context.Context, targets []Ref) ([][]AnnotationOn, error)
}
