"""The Textual screens: the live call (a thin view over CallSession events), and after it
the review of saved calls and the practice history, thin views over report/ and transcript/."""
