use serde_json::json;

use super::*;

const TAG: PolicyType = PolicyType::Tag;

fn merge(ty: PolicyType, levels: &[&[&str]]) -> EffectivePolicy {
    effective_policy(ty, levels).unwrap_or_else(|e| panic!("{e}"))
}

fn at(level: usize, index: usize) -> PolicyRef {
    PolicyRef { level, index }
}

// ---- "Inheritance examples" of the Organizations guide (tag policies) ----

const POLICY_A: &str = r#"{
    "tags": {
        "costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@assign": ["Development", "Support"]}
        }
    }
}"#;

const POLICY_B: &str = r#"{
    "tags": {
        "costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@assign": ["Sandbox"]},
            "enforced_for": {"@@assign": ["redshift:*", "dynamodb:table"]}
        }
    }
}"#;

const POLICY_C: &str = r#"{
    "tags": {
        "costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@append": ["Marketing"]},
            "enforced_for": {"@@append": ["redshift:*", "dynamodb:table"]}
        }
    }
}"#;

/// Policy D of example 3 with `enforced_for` beside `tag_value`: the guide nests it inside
/// `tag_value` next to `@@remove`, which is no valid setting, while its text and result treat it
/// as the sibling written here.
const POLICY_D: &str = r#"{
    "tags": {
        "costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@remove": ["Development", "Marketing"]},
            "enforced_for": {"@@remove": ["redshift:*", "dynamodb:table"]}
        }
    }
}"#;

#[test]
fn example_1_a_child_assign_overwrites_tag_values() {
    let e = merge(TAG, &[&[POLICY_A], &[POLICY_B]]);
    assert_eq!(
        e.policy,
        json!({"tags": {"costcenter": {
            "tag_key": "CostCenter",
            "tag_value": ["Sandbox"],
            "enforced_for": ["redshift:*", "dynamodb:table"]
        }}})
    );
    assert!(e.validation_errors.is_empty());
}

#[test]
fn example_2_a_child_append_adds_to_inherited_values() {
    let e = merge(TAG, &[&[POLICY_A], &[POLICY_C]]);
    assert_eq!(
        e.policy,
        json!({"tags": {"costcenter": {
            "tag_key": "CostCenter",
            "tag_value": ["Development", "Support", "Marketing"],
            "enforced_for": ["redshift:*", "dynamodb:table"]
        }}})
    );
}

#[test]
fn example_3_a_remove_takes_values_out_and_an_emptied_setting_disappears() {
    let e = merge(TAG, &[&[POLICY_A], &[POLICY_C], &[POLICY_D]]);
    assert_eq!(
        e.policy,
        json!({"tags": {"costcenter": {"tag_key": "CostCenter", "tag_value": ["Support"]}}})
    );
    assert!(e.validation_errors.is_empty());
}

const POLICY_E: &str = r#"{
    "tags": {
        "project": {
            "tag_key": {
                "@@operators_allowed_for_child_policies": ["@@none"],
                "@@assign": "Project"
            },
            "tag_value": {
                "@@operators_allowed_for_child_policies": ["@@append"],
                "@@assign": ["Maintenance", "Escalations"]
            }
        }
    }
}"#;

const POLICY_F: &str = r#"{
    "tags": {
        "project": {
            "tag_key": {"@@assign": "PROJECT"},
            "tag_value": {"@@append": ["Escalations - research"]}
        }
    }
}"#;

#[test]
fn example_4_child_control_operators_restrict_a_child_policy() {
    let e = merge(TAG, &[&[POLICY_E], &[POLICY_F]]);
    assert_eq!(
        e.policy,
        json!({"tags": {"project": {
            "tag_key": "Project",
            "tag_value": ["Maintenance", "Escalations", "Escalations - research"]
        }}})
    );
    assert_eq!(e.validation_errors.len(), 1);
    let err = &e.validation_errors[0];
    assert_eq!(err.code, ValidationErrorCode::OperatorNotAllowed);
    assert_eq!(err.path, "tags.project.tag_key");
    assert!(
        err.message.contains("@@assign") && err.message.contains("no operators"),
        "{}",
        err.message
    );
    assert_eq!(err.contributing, [at(1, 0), at(0, 0)]);
}

const POLICY_G: &str = r#"{
    "tags": {"project": {"tag_value": {
        "@@operators_allowed_for_child_policies": ["@@append"],
        "@@assign": ["Maintenance"]
    }}}
}"#;

const POLICY_H: &str = r#"{
    "tags": {"project": {"tag_value": {
        "@@operators_allowed_for_child_policies": ["@@append", "@@remove"]
    }}}
}"#;

#[test]
fn example_5_same_level_child_controls_intersect() {
    let child = r#"{"tags": {"project": {"tag_value": {
        "@@append": ["Research"],
        "@@remove": ["Maintenance"]
    }}}}"#;
    let e = merge(TAG, &[&[POLICY_G, POLICY_H], &[child]]);
    assert_eq!(
        e.policy,
        json!({"tags": {"project": {"tag_value": ["Maintenance", "Research"]}}})
    );
    assert_eq!(e.validation_errors.len(), 1);
    let err = &e.validation_errors[0];
    assert_eq!(err.path, "tags.project.tag_value");
    assert!(
        err.message.contains("@@remove") && err.message.contains("only @@append"),
        "{}",
        err.message
    );
    // G alone forbids @@remove; H allows it, so only G contributed.
    assert_eq!(err.contributing, [at(1, 0), at(0, 0)]);
}

const POLICY_J: &str = r#"{
    "tags": {"project": {
        "tag_key": {"@@assign": "PROJECT"},
        "tag_value": {"@@append": ["Maintenance"]}
    }}
}"#;

const POLICY_K: &str = r#"{"tags": {"project": {"tag_key": {"@@assign": "project"}}}}"#;

#[test]
fn example_6_the_first_policy_attached_at_a_level_wins() {
    let e = merge(TAG, &[&[POLICY_J, POLICY_K]]);
    assert_eq!(
        e.policy,
        json!({"tags": {"project": {"tag_key": "PROJECT", "tag_value": ["Maintenance"]}}})
    );
    assert!(e.validation_errors.is_empty());
    // Attached the other way round, K's value wins.
    let e = merge(TAG, &[&[POLICY_K, POLICY_J]]);
    assert_eq!(e.policy["tags"]["project"]["tag_key"], json!("project"));
}

// ---- AI services opt-out policy syntax page ----

const AI: PolicyType = PolicyType::AiServicesOptOut;

#[test]
fn ai_example_2_children_override_individual_services_but_not_the_default() {
    let parent = r#"{
        "services": {
            "default": {
                "@@operators_allowed_for_child_policies": ["@@none"],
                "opt_out_policy": {
                    "@@operators_allowed_for_child_policies": ["@@none"],
                    "@@assign": "optOut"
                }
            }
        }
    }"#;
    let child = r#"{"services": {"lex": {"opt_out_policy": {"@@assign": "optIn"}}}}"#;
    let e = merge(AI, &[&[parent], &[child]]);
    assert_eq!(
        e.policy,
        json!({"services": {
            "default": {"opt_out_policy": "optOut"},
            "lex": {"opt_out_policy": "optIn"}
        }})
    );
    assert!(e.validation_errors.is_empty());

    let rebel = r#"{"services": {"default": {"opt_out_policy": {"@@assign": "optIn"}}}}"#;
    let e = merge(AI, &[&[parent], &[rebel]]);
    assert_eq!(
        e.policy,
        json!({"services": {"default": {"opt_out_policy": "optOut"}}})
    );
    assert_eq!(e.validation_errors.len(), 1);
    assert_eq!(
        e.validation_errors[0].path,
        "services.default.opt_out_policy"
    );
}

#[test]
fn ai_example_1_none_under_services_stops_children_adding_services() {
    let parent = r#"{
        "services": {
            "@@operators_allowed_for_child_policies": ["@@none"],
            "default": {
                "@@operators_allowed_for_child_policies": ["@@none"],
                "opt_out_policy": {
                    "@@operators_allowed_for_child_policies": ["@@none"],
                    "@@assign": "optOut"
                }
            }
        }
    }"#;
    let child = r#"{"services": {"lex": {"opt_out_policy": {"@@assign": "optIn"}}}}"#;
    let e = merge(AI, &[&[parent], &[], &[child]]);
    assert_eq!(
        e.policy,
        json!({"services": {"default": {"opt_out_policy": "optOut"}}})
    );
    assert_eq!(e.validation_errors.len(), 1);
    let err = &e.validation_errors[0];
    assert_eq!(err.path, "services");
    assert!(
        err.message.contains("\"lex\" is not added"),
        "{}",
        err.message
    );
    assert_eq!(err.contributing, [at(2, 0), at(0, 0)]);
}

// ---- backup policy syntax page ----

const BACKUP: PolicyType = PolicyType::Backup;

/// Example 2's parent, with the guide's broken `copy_actions` JSON repaired.
const BACKUP_PARENT: &str = r#"{
    "plans": {
        "PII_Backup_Plan": {
            "regions": {"@@append": ["us-east-1", "ap-northeast-3", "eu-north-1"]},
            "rules": {
                "Hourly": {
                    "schedule_expression": {"@@assign": "cron(0 0/1 ? * * *)"},
                    "start_backup_window_minutes": {"@@assign": "60"},
                    "target_backup_vault_name": {"@@assign": "FortKnox"},
                    "lifecycle": {
                        "to_delete_after_days": {"@@assign": "2"},
                        "move_to_cold_storage_after_days": {"@@assign": "180"}
                    },
                    "copy_actions": {
                        "arn:aws:backup:us-east-1:$account:vault:secondary_vault": {
                            "target_backup_vault_arn": {"@@assign": "arn:aws:backup:us-east-1:$account:vault:secondary_vault"},
                            "lifecycle": {
                                "to_delete_after_days": {"@@assign": "28"},
                                "move_to_cold_storage_after_days": {"@@assign": "180"}
                            }
                        }
                    }
                }
            },
            "selections": {
                "tags": {
                    "datatype": {
                        "iam_role_arn": {"@@assign": "arn:aws:iam::$account:role/MyIamRole"},
                        "tag_key": {"@@assign": "dataType"},
                        "tag_value": {"@@assign": ["PII", "RED"]}
                    }
                }
            }
        }
    }
}"#;

const BACKUP_CHILD: &str = r#"{
    "plans": {
        "Monthly_Backup_Plan": {
            "regions": {"@@append": ["us-east-1", "eu-central-1"]},
            "rules": {
                "Monthly": {
                    "schedule_expression": {"@@assign": "cron(0 5 1 * ? *)"},
                    "start_backup_window_minutes": {"@@assign": "480"},
                    "target_backup_vault_name": {"@@assign": "Default"},
                    "lifecycle": {
                        "to_delete_after_days": {"@@assign": "365"},
                        "move_to_cold_storage_after_days": {"@@assign": "30"}
                    },
                    "copy_actions": {
                        "arn:aws:backup:us-east-1:$account:vault:Default": {
                            "target_backup_vault_arn": {"@@assign": "arn:aws:backup:us-east-1:$account:vault:Default"},
                            "lifecycle": {
                                "to_delete_after_days": {"@@assign": "365"},
                                "move_to_cold_storage_after_days": {"@@assign": "30"}
                            }
                        }
                    }
                }
            },
            "selections": {
                "tags": {
                    "MonthlyDatatype": {
                        "iam_role_arn": {"@@assign": "arn:aws:iam::$account:role/MyMonthlyBackupIamRole"},
                        "tag_key": {"@@assign": "BackupType"},
                        "tag_value": {"@@assign": ["MONTHLY", "RED"]}
                    }
                }
            }
        }
    }
}"#;

fn pii_plan() -> serde_json::Value {
    json!({
        "regions": ["us-east-1", "ap-northeast-3", "eu-north-1"],
        "rules": {"Hourly": {
            "schedule_expression": "cron(0 0/1 ? * * *)",
            "start_backup_window_minutes": "60",
            "target_backup_vault_name": "FortKnox",
            "lifecycle": {"to_delete_after_days": "2", "move_to_cold_storage_after_days": "180"},
            "copy_actions": {"arn:aws:backup:us-east-1:$account:vault:secondary_vault": {
                "target_backup_vault_arn": "arn:aws:backup:us-east-1:$account:vault:secondary_vault",
                "lifecycle": {"to_delete_after_days": "28", "move_to_cold_storage_after_days": "180"}
            }}
        }},
        "selections": {"tags": {"datatype": {
            "iam_role_arn": "arn:aws:iam::$account:role/MyIamRole",
            "tag_key": "dataType",
            "tag_value": ["PII", "RED"]
        }}}
    })
}

#[test]
fn backup_example_2_a_child_adds_a_second_plan() {
    let e = merge(BACKUP, &[&[BACKUP_PARENT], &[BACKUP_CHILD]]);
    let monthly = json!({
        "regions": ["us-east-1", "eu-central-1"],
        "rules": {"Monthly": {
            "schedule_expression": "cron(0 5 1 * ? *)",
            "start_backup_window_minutes": "480",
            "target_backup_vault_name": "Default",
            "lifecycle": {"to_delete_after_days": "365", "move_to_cold_storage_after_days": "30"},
            "copy_actions": {"arn:aws:backup:us-east-1:$account:vault:Default": {
                "target_backup_vault_arn": "arn:aws:backup:us-east-1:$account:vault:Default",
                "lifecycle": {"to_delete_after_days": "365", "move_to_cold_storage_after_days": "30"}
            }}
        }},
        "selections": {"tags": {"MonthlyDatatype": {
            "iam_role_arn": "arn:aws:iam::$account:role/MyMonthlyBackupIamRole",
            "tag_key": "BackupType",
            "tag_value": ["MONTHLY", "RED"]
        }}}
    });
    assert_eq!(
        e.policy,
        json!({"plans": {"PII_Backup_Plan": pii_plan(), "Monthly_Backup_Plan": monthly}})
    );
    assert!(e.validation_errors.is_empty());
}

/// Puts `"@@operators_allowed_for_child_policies": ["@@none"]` into every setting of a policy, as
/// example 3 does by hand.
fn lock_everything(doc: &str) -> String {
    fn lock(v: &mut serde_json::Value, top: bool) {
        if let serde_json::Value::Object(map) = v {
            for (k, child) in map.iter_mut() {
                if !k.starts_with("@@") {
                    lock(child, false);
                }
            }
            if !top {
                map.insert(
                    "@@operators_allowed_for_child_policies".into(),
                    json!(["@@none"]),
                );
            }
        }
    }
    let mut v: serde_json::Value = serde_json::from_str(doc).unwrap();
    lock(&mut v, true);
    v.to_string()
}

#[test]
fn backup_example_3_a_fully_locked_parent_ignores_every_child_change() {
    let parent = lock_everything(BACKUP_PARENT);
    let child = r#"{"plans": {
        "PII_Backup_Plan": {
            "regions": {"@@remove": ["eu-north-1"]},
            "rules": {"Hourly": {"target_backup_vault_name": {"@@assign": "Elsewhere"}}}
        },
        "Extra_Plan": {"regions": {"@@append": ["us-west-2"]}}
    }}"#;
    let e = merge(BACKUP, &[&[parent.as_str()], &[child]]);
    assert_eq!(e.policy, json!({"plans": {"PII_Backup_Plan": pii_plan()}}));
    let paths: Vec<_> = e
        .validation_errors
        .iter()
        .map(|v| v.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "plans.PII_Backup_Plan.regions",
            "plans.PII_Backup_Plan.rules.Hourly.target_backup_vault_name",
            "plans"
        ]
    );
}

#[test]
fn backup_example_4_append_on_plans_lets_children_add_plans_but_not_change_locked_ones() {
    let parent = r#"{"plans": {
        "@@operators_allowed_for_child_policies": ["@@append"],
        "PII_Backup_Plan": {
            "@@operators_allowed_for_child_policies": ["@@none"],
            "regions": {"@@operators_allowed_for_child_policies": ["@@none"], "@@append": ["us-east-1"]}
        }
    }}"#;
    let child = r#"{"plans": {
        "MonthlyBackupPlan": {"regions": {"@@assign": ["eu-central-1"]}},
        "PII_Backup_Plan": {"regions": {"@@append": ["eu-west-1"]}}
    }}"#;
    let e = merge(BACKUP, &[&[parent], &[child]]);
    assert_eq!(
        e.policy,
        json!({"plans": {
            "PII_Backup_Plan": {"regions": ["us-east-1"]},
            "MonthlyBackupPlan": {"regions": ["eu-central-1"]}
        }})
    );
    assert_eq!(e.validation_errors.len(), 1);
    assert_eq!(e.validation_errors[0].path, "plans.PII_Backup_Plan.regions");
}

// ---- value-setting operators ----

fn tag_value(op: &str, values: &str) -> String {
    format!(r#"{{"tags":{{"cc":{{"tag_value":{{"{op}":{values}}}}}}}}}"#)
}

fn values_of(e: &EffectivePolicy) -> serde_json::Value {
    e.policy
        .pointer("/tags/cc/tag_value")
        .cloned()
        .unwrap_or(serde_json::Value::Null)
}

#[test]
fn no_policies_make_an_empty_document() {
    let none: [&[&str]; 0] = [];
    assert_eq!(merge(TAG, &none).policy, json!({}));
    assert_eq!(merge(TAG, &[&[], &[], &[]]).policy, json!({}));
}

#[test]
fn assign_replaces_a_scalar_and_a_whole_array() {
    let e = merge(
        TAG,
        &[
            &[&tag_value("@@assign", r#"["a","b"]"#)],
            &[&tag_value("@@assign", r#"["c"]"#)],
        ],
    );
    assert_eq!(values_of(&e), json!(["c"]));
    let e = merge(
        TAG,
        &[
            &[&tag_value("@@assign", r#""x""#)],
            &[&tag_value("@@assign", r#""y""#)],
        ],
    );
    assert_eq!(values_of(&e), json!("y"));
}

#[test]
fn assign_keeps_numbers_and_booleans() {
    let e = merge(
        PolicyType::Chatbot,
        &[&[r#"{"c":{"n":{"@@assign":5},"b":{"@@assign":false}}}"#]],
    );
    assert_eq!(e.policy, json!({"c": {"n": 5, "b": false}}));
}

#[test]
fn append_creates_a_missing_setting() {
    let e = merge(TAG, &[&[], &[&tag_value("@@append", r#"["a"]"#)]]);
    assert_eq!(values_of(&e), json!(["a"]));
}

#[test]
fn append_skips_values_already_present() {
    let e = merge(
        TAG,
        &[
            &[&tag_value("@@assign", r#"["a","b"]"#)],
            &[&tag_value("@@append", r#"["b","c","c"]"#)],
        ],
    );
    assert_eq!(values_of(&e), json!(["a", "b", "c"]));
}

#[test]
fn append_to_a_single_value_makes_a_list() {
    let e = merge(
        TAG,
        &[
            &[&tag_value("@@assign", r#""a""#)],
            &[&tag_value("@@append", r#"["b"]"#)],
        ],
    );
    assert_eq!(values_of(&e), json!(["a", "b"]));
}

#[test]
fn remove_takes_out_only_the_named_values() {
    let e = merge(
        TAG,
        &[
            &[&tag_value("@@assign", r#"["a","b","c"]"#)],
            &[&tag_value("@@remove", r#"["b","z"]"#)],
        ],
    );
    assert_eq!(values_of(&e), json!(["a", "c"]));
}

#[test]
fn remove_of_something_never_set_changes_nothing() {
    let e = merge(TAG, &[&[&tag_value("@@remove", r#"["a"]"#)]]);
    assert_eq!(e.policy, json!({}));
}

#[test]
fn remove_of_a_matching_single_value_unsets_it() {
    let e = merge(
        TAG,
        &[
            &[&tag_value("@@assign", r#""a""#)],
            &[&tag_value("@@remove", r#"["a"]"#)],
        ],
    );
    assert_eq!(e.policy, json!({}));
}

#[test]
fn a_removed_value_can_be_appended_again_lower_down() {
    let e = merge(
        TAG,
        &[
            &[&tag_value("@@assign", r#"["a","b"]"#)],
            &[&tag_value("@@remove", r#"["a","b"]"#)],
            &[&tag_value("@@append", r#"["a"]"#)],
        ],
    );
    assert_eq!(values_of(&e), json!(["a"]));
}

#[test]
fn settings_left_without_values_disappear_up_to_the_top() {
    let e = merge(
        TAG,
        &[
            &[&tag_value("@@assign", r#"["a"]"#)],
            &[&tag_value("@@remove", r#"["a"]"#)],
        ],
    );
    assert_eq!(e.policy, json!({}));
}

#[test]
fn a_setting_with_only_child_control_does_not_appear() {
    let e = merge(TAG, &[&[POLICY_H]]);
    assert_eq!(e.policy, json!({}));
}

// ---- order within and across levels ----

#[test]
fn lower_levels_override_higher_ones() {
    let levels: Vec<String> = (0..5)
        .map(|i| tag_value("@@assign", &format!(r#""v{i}""#)))
        .collect();
    let levels: Vec<Vec<&str>> = levels.iter().map(|s| vec![s.as_str()]).collect();
    assert_eq!(
        values_of(&effective_policy(TAG, &levels).unwrap()),
        json!("v4")
    );
}

#[test]
fn appends_at_one_level_accumulate_in_attachment_order() {
    let e = merge(
        TAG,
        &[&[
            &tag_value("@@append", r#"["b"]"#),
            &tag_value("@@append", r#"["a"]"#),
        ]],
    );
    assert_eq!(values_of(&e), json!(["b", "a"]));
}

#[test]
fn the_next_level_may_assign_again() {
    let e = merge(
        TAG,
        &[
            &[
                &tag_value("@@assign", r#""first""#),
                &tag_value("@@assign", r#""second""#),
            ],
            &[&tag_value("@@assign", r#""child""#)],
        ],
    );
    assert_eq!(values_of(&e), json!("child"));
}

#[test]
fn settings_from_different_policies_at_one_level_combine() {
    let one = r#"{"tags":{"a":{"tag_key":{"@@assign":"A"}}}}"#;
    let two = r#"{"tags":{"b":{"tag_key":{"@@assign":"B"}}}}"#;
    let e = merge(TAG, &[&[one, two]]);
    assert_eq!(
        e.policy,
        json!({"tags": {"a": {"tag_key": "A"}, "b": {"tag_key": "B"}}})
    );
}

// ---- child control operators ----

fn locked(ops: &str) -> String {
    format!(
        r#"{{"tags":{{"cc":{{"tag_value":{{"@@operators_allowed_for_child_policies":{ops},"@@assign":["a","b"]}}}}}}}}"#
    )
}

#[test]
fn none_blocks_every_value_setting_operator() {
    for op in ["@@assign", "@@append", "@@remove"] {
        let e = merge(
            TAG,
            &[&[&locked(r#"["@@none"]"#)], &[&tag_value(op, r#"["a"]"#)]],
        );
        assert_eq!(values_of(&e), json!(["a", "b"]), "{op}");
        assert_eq!(e.validation_errors.len(), 1, "{op}");
        assert!(e.validation_errors[0].message.contains(op));
    }
}

#[test]
fn an_explicit_list_allows_exactly_its_operators() {
    let parent = locked(r#"["@@append","@@remove"]"#);
    let e = merge(TAG, &[&[&parent], &[&tag_value("@@remove", r#"["a"]"#)]]);
    assert_eq!(values_of(&e), json!(["b"]));
    assert!(e.validation_errors.is_empty());
    let e = merge(TAG, &[&[&parent], &[&tag_value("@@assign", r#"["z"]"#)]]);
    assert_eq!(values_of(&e), json!(["a", "b"]));
    assert_eq!(
        e.validation_errors[0].code,
        ValidationErrorCode::OperatorNotAllowed
    );
}

#[test]
fn all_allows_everything() {
    let e = merge(
        TAG,
        &[
            &[&locked(r#"["@@all"]"#)],
            &[&tag_value("@@assign", r#"["z"]"#)],
        ],
    );
    assert_eq!(values_of(&e), json!(["z"]));
    assert!(e.validation_errors.is_empty());
}

#[test]
fn a_limit_binds_every_level_below_not_just_the_next() {
    let e = merge(
        TAG,
        &[
            &[&locked(r#"["@@none"]"#)],
            &[],
            &[],
            &[&tag_value("@@append", r#"["c"]"#)],
        ],
    );
    assert_eq!(values_of(&e), json!(["a", "b"]));
    assert_eq!(e.validation_errors[0].contributing, [at(3, 0), at(0, 0)]);
}

#[test]
fn a_limit_does_not_bind_policies_at_its_own_level() {
    let e = merge(
        TAG,
        &[&[&locked(r#"["@@none"]"#), &tag_value("@@append", r#"["c"]"#)]],
    );
    assert_eq!(values_of(&e), json!(["a", "b", "c"]));
    assert!(e.validation_errors.is_empty());
}

#[test]
fn a_child_cannot_widen_an_inherited_limit() {
    let widen = r#"{"tags":{"cc":{"tag_value":{"@@operators_allowed_for_child_policies":["@@all"],"@@append":["c"]}}}}"#;
    let e = merge(
        TAG,
        &[
            &[&locked(r#"["@@append"]"#)],
            &[widen],
            &[&tag_value("@@assign", r#"["z"]"#)],
        ],
    );
    assert_eq!(values_of(&e), json!(["a", "b", "c"]));
    assert_eq!(e.validation_errors.len(), 1);
    assert_eq!(e.validation_errors[0].contributing, [at(2, 0), at(0, 0)]);
}

#[test]
fn a_child_can_narrow_an_inherited_limit_further() {
    let narrow =
        r#"{"tags":{"cc":{"tag_value":{"@@operators_allowed_for_child_policies":["@@remove"]}}}}"#;
    let e = merge(
        TAG,
        &[
            &[&locked(r#"["@@append","@@remove"]"#)],
            &[narrow],
            &[&tag_value("@@append", r#"["c"]"#)],
        ],
    );
    assert_eq!(values_of(&e), json!(["a", "b"]));
    assert_eq!(
        e.validation_errors[0].contributing,
        [at(2, 0), at(0, 0), at(1, 0)]
    );
}

#[test]
fn a_forbidden_operator_does_not_stop_the_rest_of_the_policy() {
    let child = r#"{"tags":{"cc":{"tag_value":{"@@assign":["z"],"@@append":["c"]},"tag_key":{"@@assign":"CC"}}}}"#;
    let e = merge(TAG, &[&[&locked(r#"["@@append"]"#)], &[child]]);
    assert_eq!(
        e.policy,
        json!({"tags": {"cc": {"tag_value": ["a", "b", "c"], "tag_key": "CC"}}})
    );
    assert_eq!(e.validation_errors.len(), 1);
}

#[test]
fn a_container_limit_stops_new_names_but_not_changes_below_existing_ones() {
    let parent = r#"{"tags":{"@@operators_allowed_for_child_policies":["@@none"],"cc":{"tag_key":{"@@assign":"CC"}}}}"#;
    let child =
        r#"{"tags":{"cc":{"tag_key":{"@@assign":"Cc"}},"new":{"tag_key":{"@@assign":"New"}}}}"#;
    let e = merge(TAG, &[&[parent], &[child]]);
    assert_eq!(e.policy, json!({"tags": {"cc": {"tag_key": "Cc"}}}));
    assert_eq!(e.validation_errors.len(), 1);
    assert_eq!(e.validation_errors[0].path, "tags");
}

#[test]
fn a_container_allowing_assign_or_append_accepts_new_names() {
    for ops in [r#"["@@assign"]"#, r#"["@@append"]"#] {
        let parent = format!(
            r#"{{"tags":{{"@@operators_allowed_for_child_policies":{ops},"cc":{{"tag_key":{{"@@assign":"CC"}}}}}}}}"#
        );
        let child = r#"{"tags":{"new":{"tag_key":{"@@assign":"New"}}}}"#;
        let e = merge(TAG, &[&[&parent], &[child]]);
        assert_eq!(e.policy["tags"]["new"], json!({"tag_key": "New"}), "{ops}");
        assert!(e.validation_errors.is_empty());
    }
    let parent = r#"{"tags":{"@@operators_allowed_for_child_policies":["@@remove"]}}"#;
    let child = r#"{"tags":{"new":{"tag_key":{"@@assign":"New"}}}}"#;
    assert_eq!(
        merge(TAG, &[&[parent], &[child]]).validation_errors.len(),
        1
    );
}

#[test]
fn limits_on_a_name_nobody_has_set_still_bind() {
    let e = merge(TAG, &[&[POLICY_H], &[&tag_value("@@assign", r#"["z"]"#)]]);
    // POLICY_H limits tags.project.tag_value; tags.cc is another setting and stays free.
    assert_eq!(values_of(&e), json!(["z"]));
    let child = r#"{"tags":{"project":{"tag_value":{"@@assign":["z"]}}}}"#;
    let e = merge(TAG, &[&[POLICY_H], &[child]]);
    assert_eq!(e.policy, json!({}));
    assert_eq!(e.validation_errors.len(), 1);
}

// ---- names, shapes and inputs ----

#[test]
fn names_match_without_regard_to_case_and_keep_the_first_spelling() {
    let parent = r#"{"tags":{"CostCenter":{"tag_key":{"@@assign":"CostCenter"}}}}"#;
    let child = r#"{"TAGS":{"costcenter":{"TAG_VALUE":{"@@append":["x"]}}}}"#;
    let e = merge(TAG, &[&[parent], &[child]]);
    assert_eq!(
        e.policy,
        json!({"tags": {"CostCenter": {"tag_key": "CostCenter", "TAG_VALUE": ["x"]}}})
    );
}

#[test]
fn values_are_compared_exactly() {
    let e = merge(
        TAG,
        &[
            &[&tag_value("@@assign", r#"["A"]"#)],
            &[
                &tag_value("@@remove", r#"["a"]"#),
                &tag_value("@@append", r#"["a"]"#),
            ],
        ],
    );
    assert_eq!(values_of(&e), json!(["A", "a"]));
}

#[test]
fn a_value_where_settings_were_inherited_is_a_type_mismatch() {
    let parent = r#"{"tags":{"cc":{"tag_key":{"@@assign":"CC"}}}}"#;
    let child = r#"{"tags":{"cc":{"@@assign":"flat"}}}"#;
    let e = merge(TAG, &[&[parent], &[child]]);
    assert_eq!(e.policy, json!({"tags": {"cc": {"tag_key": "CC"}}}));
    let err = &e.validation_errors[0];
    assert_eq!(
        (err.code, err.path.as_str()),
        (ValidationErrorCode::TypeMismatch, "tags.cc")
    );
    assert_eq!(err.contributing, [at(1, 0), at(0, 0)]);
}

#[test]
fn settings_where_a_value_was_inherited_are_a_type_mismatch() {
    let parent = r#"{"tags":{"cc":{"@@assign":"flat"}}}"#;
    let child = r#"{"tags":{"cc":{"tag_key":{"@@assign":"CC"}}}}"#;
    let e = merge(TAG, &[&[parent], &[child]]);
    assert_eq!(e.policy, json!({"tags": {"cc": "flat"}}));
    assert_eq!(
        e.validation_errors[0].code,
        ValidationErrorCode::TypeMismatch
    );
}

#[test]
fn owned_strings_and_vectors_are_accepted() {
    let levels: Vec<Vec<String>> = vec![vec![POLICY_A.to_string()], vec![POLICY_B.to_string()]];
    let e = effective_policy(TAG, &levels).unwrap();
    assert_eq!(
        e.policy["tags"]["costcenter"]["tag_value"],
        json!(["Sandbox"])
    );
}

#[test]
fn the_content_string_is_compact_json() {
    let e = merge(TAG, &[&[POLICY_A]]);
    let back: serde_json::Value = serde_json::from_str(&e.content()).unwrap();
    assert_eq!(back, e.policy);
    assert!(!e.content().contains('\n'));
}

#[test]
fn authorization_policies_have_no_effective_policy() {
    for ty in [PolicyType::ServiceControl, PolicyType::ResourceControl] {
        let none: [&[&str]; 0] = [];
        assert_eq!(
            effective_policy(ty, &none).unwrap_err(),
            EffectivePolicyError::NotManagementPolicy(ty)
        );
    }
}

#[test]
fn a_malformed_stored_policy_is_reported_with_its_position() {
    let err =
        effective_policy(TAG, &[&[POLICY_A][..], &[POLICY_B, "{\"tags\":1}"][..]]).unwrap_err();
    match err {
        EffectivePolicyError::Malformed { policy, error } => {
            assert_eq!(policy, at(1, 1));
            assert!(error.to_string().starts_with("tags:"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        effective_policy(TAG, &[&["{"]]).unwrap_err(),
        EffectivePolicyError::Malformed {
            policy: PolicyRef { level: 0, index: 0 },
            ..
        }
    ));
}
