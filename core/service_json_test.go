package core

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestGroupInfoJSONKeepsMembers(t *testing.T) {
	gi := GroupInfo{Group: Group{ID: 3, Name: "lab", Level: ReadAnnotate},
		Members: []MemberInfo{{Experimenter: Experimenter{ID: 2, Username: "ada"}, Owner: true}}}
	b, err := json.Marshal(gi)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID      ID
		Name    string
		Type    string
		Members []struct {
			Username string
			Owner    bool
		}
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if got.Name != "lab" || got.Type != "read-annotate" || len(got.Members) != 1 || got.Members[0].Username != "ada" || !got.Members[0].Owner {
		t.Errorf("GroupInfo JSON = %s", b)
	}
	if b, _ := json.Marshal(GroupInfo{Group: Group{Name: "empty"}}); !json.Valid(b) || !strings.HasSuffix(string(b), `"members":[]}`) {
		t.Errorf("a group without members = %s", b)
	}
}

func TestObjectFlagsJSONShape(t *testing.T) {
	b, _ := json.Marshal([]ObjectFlags{{Object: "Project:1", Flags: Flags{Read: true, CanEdit: true, CanDelete: true, CanChown: true}}})
	want := `[{"object":"Project:1","canEdit":true,"canAnnotate":false,"canDelete":true,"canLink":false,"canChgrp":false,"canChown":true}]`
	if string(b) != want {
		t.Errorf("ObjectFlags JSON\n got %s\nwant %s", b, want)
	}
}
