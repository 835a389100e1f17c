"""The operations of :class:`~fe_compliance.recalc.FlowerEquivalencyEngine`, one module per kind of operation.

The engine class (``fe_compliance.recalc``) holds the LSP's definitions, the product-category map and one
location's settings, and hands each call to the module that implements it. To find a rule of
``001_0f6da1db91b12d45.txt`` by its code (``docs/engine.md``):

=====================  ================================================================================
module                 rules
=====================  ================================================================================
``context``            which definition applies (``specific_customer_type_wins``,
                       ``no_definition_manual``, ``unmapped_category_manual``, ``aliases``); calculating
                       FE fields (``ratio``); ``feature_off``
``basis``              what an FE is calculated from (``ratio``, ``thc_percent_via_net_weight``,
                       ``potency_lab_fallback``)
``required``           ``required_grams_concentration``, ``required_configured``
``creation``           ``calc_on_create``, ``calc_on_receive``, ``catalog_defaults``
``edits``              ``calc_on_based_on_edit``, ``manual_override_kept``, ``pre_existing_preserved``,
                       ``reassign_fills_blank``, ``potency_lab_fallback``, ``potency_not_editable``
``definitions``        ``definition_create_fills_blanks``, ``definition_edit_no_effect``,
                       ``delete_keeps_values``, ``enable_preserves``
``applying``           ``apply_to_catalog``, ``apply_to_inventory`` (records and bulk)
``selling``            ``package_fe_for_limits``
=====================  ================================================================================

Nothing here is public API: use the engine's methods.
"""
