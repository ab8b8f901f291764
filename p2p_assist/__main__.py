from p2p_assist.cli.main import main

raise SystemExit(main())
