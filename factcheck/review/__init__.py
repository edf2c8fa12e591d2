"""Review in Label Studio: ``tasks`` builds tasks and parses annotations (pure),
``labelstudio`` pushes and pulls through the SDK, ``server`` starts and stops the local
server, ``webhook`` receives its notifications, ``agreement`` measures annotators'
agreement."""
